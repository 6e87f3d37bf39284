package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"waymark"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// choose ticks a radio button or checkbox, or picks an option, without leaving the page.
func (b *browserTab) choose(sel string) {
	b.t.Helper()
	b.do("choose "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// fill sets a field's value directly: typing into an empty textarea is not possible in chromedp.
func (b *browserTab) fill(sel, value string) {
	b.t.Helper()
	b.do("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

func (b *browserTab) selectValue(sel, value string) {
	b.t.Helper()
	b.do("select "+value+" in "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// TestBrowser_DisclosureJourney is journey 1, the 6 a.m. disclosure: a frontline worker searches
// for a man by the name he gives and a rough age, sees that a possible match is someone else, adds
// him with the essentials, sets the concern, records the disclosure later, and corrects a detail,
// with every page accessible and hostile text inert.
func TestBrowser_DisclosureJourney(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	// Someone already known whose name shares a word with the new man's.
	known := &waymark.Client{GivenName: "Ionut", FamilyName: "Vasilescu", DateOfBirth: "1961"}
	if err := sqldb.NewClientService(tr.db).CreateClient(context.Background(), waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}, known, nil); err != nil {
		t.Fatal(err)
	}
	b := newBrowserTab(t, browser, tr.srv.URL)
	b.signInDemo(u)

	b.open("/clients/new")
	b.checkPage("add a client: search first")
	b.typeInto("#given_name", "Ionut")
	b.typeInto("#family_name", "Popa")
	b.typeInto("#estimated_age", "35")
	if status := b.click(`main form[action="/clients"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("search: status %d", status)
	}
	if !strings.Contains(b.text("main"), "Possible matches") {
		t.Fatal("the search step does not show possible matches")
	}
	b.checkPage("add a client: possible matches")

	// Not him: add him anyway, with what can be recorded in a hurry.
	hostile := `<script>window.__xss=1</script> says "boss" keeps his passport =cmd|' /C calc'!A0`
	b.fill("#known_as", "Johnny")
	b.choose(`#gender-1`) // Male
	// Long lists are type-ahead pickers: pick a country from the suggestions, and type a language's
	// whole name and move on.
	b.typeInto("#nationalities", "Roman")
	b.choose(`#nationalities__listbox li:first-child`)
	b.typeInto("#languages", "Kurdish (Sorani)")
	b.do("leave the language field", chromedp.SendKeys(chromedp.CSS("#languages"), kb.Tab))
	b.selectValue(`#situation`, "rough_sleeping")
	b.choose(`input[name=concern_status][value=suspected]`)
	b.fill("#notes", hostile)
	status := b.click(`main form[action="/clients"] button[type=submit]:not([name])`)
	if status != http.StatusOK || !strings.HasPrefix(b.path(), "/clients/") {
		t.Fatalf("add client: status %d, on %s", status, b.path())
	}
	b.wantPage(b.path(), "Ionut Popa")
	main := b.text("main")
	for _, want := range []string{"Suspected", "Rough sleeping", "Johnny", "About 35", "recorded when the client was added", "Romania", "Kurdish (Sorani)"} {
		if !strings.Contains(main, want) {
			t.Errorf("the new record does not show %q", want)
		}
	}
	b.wantInert("client record", `<script>window.__xss=1</script>`, "=cmd|' /C calc'!A0")
	b.checkPage("client record")
	clientPath := b.path()

	// Later, the safeguarding lead's conversation: he discloses.
	b.choose(`input[name=concern_status][value=disclosed]`)
	b.fill("#reason", "Told us through an interpreter that he works at a car wash for no pay.")
	if status := b.click(`main form[action$="/concern"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record concern: status %d", status)
	}
	if hist := b.text("#concern-history"); !strings.Contains(hist, "Disclosed by the person") || !strings.Contains(hist, "car wash") || !strings.Contains(hist, "Suspected") {
		t.Errorf("the concern history does not show both changes: %q", hist)
	}

	// Record how he was exploited, and the risk of it happening again.
	b.open(clientPath + "/exploitation")
	b.checkPage("modern slavery history")
	status = b.click(`main form[action$="/exploitation"] button[type=submit]`)
	b.wantErrorSummary("exploitation episode, no type", status, http.StatusUnprocessableEntity)
	b.checkPage("modern slavery history, no type")
	b.choose(`input[name=types][value=labour]`)
	b.choose(`input[name=recency][value=past_3_months]`)
	b.choose(`input[name=control][value=withholds_documents]`)
	b.choose(`input[name=control][value=debt_bondage]`)
	b.fill("#narrative", "Car wash, no pay; the boss keeps his passport.")
	if status := b.click(`main form[action$="/exploitation"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record episode: status %d", status)
	}
	if main := b.text("main"); !strings.Contains(main, "Withholds documents") || !strings.Contains(main, "Within the past 3 months") {
		t.Errorf("the episode is not shown: %q", main)
	}
	b.choose(`input[name=level][value=high]`)
	if status := b.click(`main form[action$="/risk"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("record risk: status %d", status)
	}
	if !strings.Contains(b.text("#risk-history"), "High") {
		t.Error("the risk assessment is not shown")
	}
	b.checkPage("modern slavery history, recorded")

	// Correct a detail; a bad date of birth is refused with a message and nothing is lost.
	b.open(clientPath + "/edit")
	b.checkPage("change client details")
	b.typeInto("#date_of_birth", "45")
	b.typeInto("#date_of_birth-month", "13")
	b.typeInto("#date_of_birth-year", "1990")
	status = b.click(`main form button[type=submit]`)
	b.wantErrorSummary("change client details, bad date", status, http.StatusUnprocessableEntity)
	if got := evalJS[string](b, `document.querySelector('#notes').value`); !strings.Contains(got, "keeps his passport") {
		t.Errorf("the notes were lost when the form came back with an error: %q", got)
	}
	b.checkPage("change client details, bad date")
	if got := evalJS[string](b, `document.querySelector('#date_of_birth-error').textContent`); !strings.Contains(got, "month as a number from 1 to 12") {
		t.Errorf("the date of birth's error says %q; want how to give the month", got)
	}
	// Only the year is known.
	b.typeInto("#date_of_birth", "")
	b.typeInto("#date_of_birth-month", "")
	b.typeInto("#estimated_age", "")
	if status := b.click(`main form button[type=submit]`); status != http.StatusOK || b.path() != clientPath {
		t.Fatalf("save: status %d, on %s", status, b.path())
	}
	if !strings.Contains(b.text("main"), "1990") {
		t.Error("the saved date of birth is not shown")
	}
	// The timeline on the record gathers what was recorded on every page.
	timeline := b.text(".wm-timeline")
	for _, want := range []string{"Exploitation recorded: labour", "Risk of exploitation again: high", "Concern status: Disclosed by the person", "Added to Waymark"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline does not show %q: %q", want, timeline)
		}
	}
	b.checkPage("client record with timeline")

	// The list finds him by his nickname.
	b.open("/clients")
	b.typeInto("#name", "johnny")
	b.click(`main form[action="/clients/search"] button[type=submit]`)
	if !strings.Contains(b.text("main table"), "Ionut Popa") {
		t.Error("a search by his other name does not find him")
	}
}
