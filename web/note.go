package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"waymark"
)

// NoteEditPage changes a case note.
type NoteEditPage struct {
	Layout
	ClientID string
	Note     *waymark.CaseNote
	Form     Form
}

func (s *Server) handleNoteAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	id := r.PathValue("id")
	_, err := s.svc.Notes.AddNote(r.Context(), actor(r), id, r.PostForm.Get("text"), r.PostForm.Get("restricted") == "yes")
	if waymark.ErrorCode(err) == waymark.EINVALID {
		page, perr := s.clientPage(w, r, id)
		if perr != nil {
			return perr
		}
		page.NoteForm, page.Errors = formFromError(r.PostForm, err, "text")
		return s.render(w, r, http.StatusUnprocessableEntity, "client", page)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/clients/"+id+"#notes", "Note added.")
}

// findNote finds one note the actor may see among a client's notes.
func (s *Server) findNote(r *http.Request, clientID, noteID string) (*waymark.CaseNote, error) {
	notes, err := s.svc.Notes.FindNotes(r.Context(), actor(r), clientID)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		if n.ID == noteID {
			return n, nil
		}
	}
	return nil, waymark.Errorf(waymark.ENOTFOUND, "The note could not be found.")
}

func (s *Server) handleNoteEdit(w http.ResponseWriter, r *http.Request) error {
	n, err := s.findNote(r, r.PathValue("id"), r.PathValue("note"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "note-edit", NoteEditPage{Layout: s.layout(w, r, "Change a note"), ClientID: n.ClientID, Note: n,
		Form: Form{Values: url.Values{"text": {n.Text}, "version": {strconv.Itoa(n.Version)}}}})
}

func (s *Server) handleNoteUpdate(w http.ResponseWriter, r *http.Request) error {
	clientID := r.PathValue("id")
	n, err := s.findNote(r, clientID, r.PathValue("note"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return waymark.Errorf(waymark.EINVALID, "The form could not be read. Try again.")
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	_, err = s.svc.Notes.UpdateNote(r.Context(), actor(r), clientID, n.ID, version, r.PostForm.Get("text"))
	switch waymark.ErrorCode(err) {
	case "":
		return redirect(w, r, "/clients/"+clientID+"#notes", "Note changed. The earlier text is kept in its history.")
	case waymark.EINVALID, waymark.ECONFLICT, waymark.EFORBIDDEN:
		page := NoteEditPage{Layout: s.layout(w, r, "Change a note"), ClientID: clientID, Note: n}
		page.Form, page.Errors = formFromError(r.PostForm, err, "text")
		page.Form.Values.Set("version", strconv.Itoa(n.Version))
		return s.render(w, r, errorStatus(err), "note-edit", page)
	}
	return err
}

type apiNote struct {
	ID         string           `json:"id"`
	AuthorID   string           `json:"author_id"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
	Text       string           `json:"text"`
	Restricted bool             `json:"restricted"`
	Version    int              `json:"version"`
	History    []apiNoteVersion `json:"history"`
}

type apiNoteVersion struct {
	Version    int       `json:"version"`
	Text       string    `json:"text"`
	EditedAt   time.Time `json:"edited_at"`
	EditedByID string    `json:"edited_by_id"`
}

func toAPINote(n *waymark.CaseNote) apiNote {
	out := apiNote{ID: n.ID, AuthorID: n.AuthorID, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Text: n.Text, Restricted: n.Restricted,
		Version: n.Version, History: []apiNoteVersion{}}
	for _, v := range n.History {
		out.History = append(out.History, apiNoteVersion{v.Version, v.Text, v.EditedAt, v.EditedByID})
	}
	return out
}

func (s *Server) apiNoteIndex(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	notes, err := s.svc.Notes.FindNotes(r.Context(), apiActor(r, id), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, mapList(notes, len(notes), waymark.Page{Limit: len(notes)}, toAPINote))
	return nil
}

func (s *Server) apiNoteCreate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Text       string `json:"text"`
		Restricted bool   `json:"restricted"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.svc.Notes.AddNote(r.Context(), apiActor(r, id), r.PathValue("id"), in.Text, in.Restricted)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPINote(n))
	return nil
}

func (s *Server) apiNoteUpdate(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
	var in struct {
		Text    string `json:"text"`
		Version int    `json:"version"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	n, err := s.svc.Notes.UpdateNote(r.Context(), apiActor(r, id), r.PathValue("id"), r.PathValue("note"), in.Version, in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPINote(n))
	return nil
}
