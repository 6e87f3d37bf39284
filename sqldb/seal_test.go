package sqldb_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"waymark"
	"waymark/sqldb"
)

const (
	notesMarker   = "NOTES-MARKER-7f3a9c-said-he-was-held-at-the-car-wash"
	contactMarker = "CONTACT-MARKER-51d2e8-07700-900123"
	givenName     = "Zebulonia"
)

// contactValue is the value of a client's only contact detail, or "" when it has none or several.
func contactValue(c *waymark.Client) string {
	if len(c.Contacts) != 1 {
		return ""
	}
	return c.Contacts[0].Value
}

// frontline returns a frontline worker's actor in a new organisation.
func (e *env) frontline(t *testing.T, orgName string) (*waymark.Organisation, waymark.Actor) {
	t.Helper()
	o := e.org(t, orgName, false)
	_, a := e.user(t, o, waymark.RoleFrontline)
	return o, a
}

func TestEncryptionAtRest(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		_, actor := e.frontline(t, "Sealed Outreach")
		c := &waymark.Client{GivenName: givenName, FamilyName: "Quist", Notes: notesMarker, Contacts: []waymark.Contact{{Kind: "phone", Value: contactMarker, SafeToContact: waymark.AnswerYes}}}
		mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))
		other := &waymark.Client{GivenName: "Other", FamilyName: "Person", Notes: "someone else's notes"}
		mustOK(t, e.clients.CreateClient(ctx, actor, other, nil))

		t.Run("sealed fields read back as plain text", func(t *testing.T) {
			got, err := e.clients.FindClientByID(ctx, actor, c.ID)
			mustOK(t, err)
			if got.Notes != notesMarker || contactValue(got) != contactMarker {
				t.Errorf("read back notes %q, contact %q", got.Notes, contactValue(got))
			}
		})
		t.Run("sealed columns hold no plain text", func(t *testing.T) {
			var notes, contact []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT notes, contact_details FROM clients WHERE id = $1`, c.ID).Scan(&notes, &contact))
			for name, v := range map[string][]byte{"notes": notes, "contact_details": contact} {
				if !bytes.HasPrefix(v, []byte("wms1")) {
					t.Errorf("%s = %q is not a sealed value", name, v)
				}
				if bytes.Contains(v, []byte("MARKER")) {
					t.Errorf("%s holds the plain text", name)
				}
			}
		})
		t.Run("a sealed value copied into another row does not open", func(t *testing.T) {
			raw := e.raw(t)
			exec(t, raw, `UPDATE clients SET notes = (SELECT notes FROM clients WHERE id = $1) WHERE id = $2`, c.ID, other.ID)
			got, err := e.clients.FindClientByID(ctx, actor, other.ID)
			if err == nil {
				t.Fatalf("read a client whose notes were copied from another row: notes %q", got.Notes)
			}
			wantCode(t, err, waymark.EINTERNAL)
			if got != nil && strings.Contains(got.Notes, "MARKER") {
				t.Errorf("the other client's notes were returned: %q", got.Notes)
			}
			if strings.Contains(err.Error(), "MARKER") {
				t.Errorf("the error holds the notes: %v", err)
			}
			// Nor in a list, which must not leak it either.
			list, _, err := e.clients.FindClients(ctx, actor, waymark.ClientFilter{})
			if err == nil {
				for _, x := range list {
					if x.ID == other.ID && strings.Contains(x.Notes, "MARKER") {
						t.Errorf("the list returned the other client's notes: %q", x.Notes)
					}
				}
			}
			// Nor moved into another column of the same row.
			exec(t, raw, `UPDATE clients SET notes = contact_details WHERE id = $1`, c.ID)
			_, err = e.clients.FindClientByID(ctx, actor, c.ID)
			wantCode(t, err, waymark.EINTERNAL)
		})
	})
}

func TestEncryptionAtRestSQLiteFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "sqlite")
	_, actor := e.frontline(t, "File Check Outreach")
	c := &waymark.Client{GivenName: givenName, FamilyName: "Quist", Notes: notesMarker, Contacts: []waymark.Contact{{Kind: "phone", Value: contactMarker, SafeToContact: waymark.AnswerYes}}}
	mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))
	mustOK(t, e.db.Close())
	stored := sqliteBytes(t, e.cfg.DataDir)
	if !bytes.Contains(stored, []byte(givenName)) {
		t.Fatal("the unsealed given name is not in the database files: the check reads the wrong files")
	}
	for _, m := range []string{notesMarker, contactMarker, "MARKER"} {
		if bytes.Contains(stored, []byte(m)) {
			t.Errorf("the database files hold %q in plain text", m)
		}
	}
}

func TestMasterKey(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		_, actor := e.frontline(t, "Key Outreach")
		c := &waymark.Client{GivenName: givenName, Notes: notesMarker, Contacts: []waymark.Contact{{Kind: "phone", Value: contactMarker, SafeToContact: waymark.AnswerYes}}}
		mustOK(t, e.clients.CreateClient(ctx, actor, c, nil))

		reopen := func(key []byte) (*sqldb.DB, error) {
			cfg := e.cfg
			cfg.MasterKey = key
			db, err := sqldb.Open(ctx, cfg)
			if err == nil {
				t.Cleanup(func() { db.Close() })
			}
			return db, err
		}
		readBack := func(t *testing.T, db *sqldb.DB) {
			t.Helper()
			got, err := sqldb.NewClientService(db).FindClientByID(ctx, actor, c.ID)
			mustOK(t, err)
			if diff := cmp.Diff(notesMarker+"|"+contactMarker, got.Notes+"|"+contactValue(got)); diff != "" {
				t.Errorf("sealed fields read back wrong (-want +got):\n%s", diff)
			}
		}
		wrongKey := bytes.Repeat([]byte{7}, sqldb.MasterKeySize)
		newKey := bytes.Repeat([]byte{42}, sqldb.MasterKeySize)

		t.Run("a wrong master key is refused", func(t *testing.T) {
			_, err := reopen(wrongKey)
			if !errors.Is(err, sqldb.ErrKeyMismatch) {
				t.Errorf("error = %v, want ErrKeyMismatch", err)
			}
		})
		t.Run("no master key says how to give one", func(t *testing.T) {
			_, err := reopen(nil)
			if err == nil || !strings.Contains(err.Error(), "--key-file") {
				t.Errorf("error = %v, want one naming --key-file", err)
			}
		})
		t.Run("a master key of the wrong length is refused", func(t *testing.T) {
			_, err := reopen([]byte("short"))
			if err == nil || errors.Is(err, sqldb.ErrKeyMismatch) {
				t.Errorf("error = %v, want a key format error", err)
			}
		})
		t.Run("rotating the master key keeps the data readable with the new key only", func(t *testing.T) {
			_, before := e.frontline(t, "Before Rotation Trust")
			mustOK(t, e.clients.CreateClient(ctx, before, &waymark.Client{GivenName: "Before", Notes: "written before rotation"}, nil))

			n, err := e.db.RotateMasterKey(ctx, newKey)
			mustOK(t, err)
			if n != 2 {
				t.Errorf("RotateMasterKey re-wrapped %d keys, want 2", n)
			}
			// The open database carries on, and new organisations get keys wrapped with the new master key.
			readBack(t, e.db)
			_, after := e.frontline(t, "After Rotation Trust")
			afterClient := &waymark.Client{GivenName: "After", Notes: "written after rotation"}
			mustOK(t, e.clients.CreateClient(ctx, after, afterClient, nil))

			_, err = reopen(e.cfg.MasterKey)
			if !errors.Is(err, sqldb.ErrKeyMismatch) {
				t.Errorf("opening with the old key after rotation: error = %v, want ErrKeyMismatch", err)
			}
			db, err := reopen(newKey)
			mustOK(t, err)
			readBack(t, db)
			got, err := sqldb.NewClientService(db).FindClientByID(ctx, after, afterClient.ID)
			mustOK(t, err)
			if got.Notes != "written after rotation" {
				t.Errorf("notes of a client made after rotation = %q", got.Notes)
			}
			if e.countActions(t)[waymark.AuditKeysRotated] != 1 {
				t.Error("the rotation was not audited")
			}
		})
		t.Run("a server still running on the old key cannot create an organisation after rotation", func(t *testing.T) {
			// e.db now plays a server started before another process rotated the key again.
			cfg := e.cfg
			cfg.MasterKey = newKey
			cli, err := sqldb.Open(ctx, cfg)
			mustOK(t, err)
			newerKey := bytes.Repeat([]byte{43}, sqldb.MasterKeySize)
			_, err = cli.RotateMasterKey(ctx, newerKey)
			mustOK(t, err)
			mustOK(t, cli.Close())
			newKey = newerKey

			err = e.orgs.CreateOrganisation(ctx, system, &waymark.Organisation{Name: "Created By A Stale Server", Type: waymark.OrgOther})
			if err == nil {
				t.Error("an organisation was created with a data key wrapped by the replaced master key")
			}
			db, err := reopen(newKey)
			mustOK(t, err)
			readBack(t, db)
			list, _, err := sqldb.NewOrganisationService(db).FindOrganisations(ctx, system, waymark.Page{Limit: waymark.MaxPageSize})
			mustOK(t, err)
			// Every organisation's data key still opens with the current master key.
			for i, o := range list {
				u := &waymark.User{OrgID: o.ID, Email: fmt.Sprintf("probe.%d@example.org", i), Name: "Probe", Role: waymark.RoleFrontline}
				mustOK(t, sqldb.NewUserService(db).CreateUser(ctx, system, u, testHash()))
				if err := sqldb.NewClientService(db).CreateClient(ctx, actorOf(u), &waymark.Client{GivenName: "Probe", Notes: "sealed"}, nil); err != nil {
					t.Errorf("organisation %q cannot seal with its data key: %v", o.Name, err)
				}
			}
		})
		t.Run("rotating to an invalid key is refused and changes nothing", func(t *testing.T) {
			_, err := e.db.RotateMasterKey(ctx, []byte("too short"))
			if err == nil {
				t.Fatal("rotated to a 9-byte key")
			}
			db, err := reopen(newKey)
			mustOK(t, err)
			readBack(t, db)
		})
	})
}
