package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"waymark"
	"waymark/internal/demo"
	"waymark/sqldb"
	"waymark/sqldb/sqldbtest"
)

// browserClients is the size of the demo region the browser tests use: enough for every service
// organisation to have clients, small enough to generate quickly.
const browserClients = 40

// browserOrgOfType is the demo organisation of the type.
func browserOrgOfType(t testing.TB, tr *testRegion, typ waymark.OrgType) demo.OrgInfo {
	t.Helper()
	for _, o := range tr.region.Organisations {
		if o.Type == typ {
			return o
		}
	}
	t.Fatalf("no demo organisation of type %s", typ)
	return demo.OrgInfo{}
}

// browserColleague is a demo user in the same organisation as u, other than u.
func browserColleague(t testing.TB, tr *testRegion, u demo.UserInfo) demo.UserInfo {
	t.Helper()
	for _, v := range tr.region.Users {
		if v.OrgID == u.OrgID && v.ID != u.ID {
			return v
		}
	}
	t.Fatalf("%s has no colleague", u.Name)
	return demo.UserInfo{}
}

// visit opens a page, checks its status and checks it as every page is checked.
func (b *browserTab) visit(name, path string, status int) {
	b.t.Helper()
	if got := b.open(path); got != status {
		b.t.Errorf("%s: GET %s gave status %d, want %d", name, path, got, status)
	}
	b.checkPage(name)
}

// wantErrorSummary fails unless the page shows the error summary with links to fields.
func (b *browserTab) wantErrorSummary(name string, status, want int) {
	b.t.Helper()
	if status != want {
		b.t.Errorf("%s: status %d, want %d", name, status, want)
	}
	if b.count(".govuk-error-summary") != 1 || b.count(".govuk-error-summary__list a") == 0 {
		b.t.Errorf("%s: no error summary linking to the fields", name)
	}
	if title := evalJS[string](b, `document.title`); !strings.HasPrefix(title, "Error: ") {
		b.t.Errorf("%s: title %q does not start with \"Error: \"", name, title)
	}
	// Every link in the summary leads to a field on the page.
	if broken := evalJS[[]string](b, `[...document.querySelectorAll('.govuk-error-summary__list a')]
		.map(a => a.getAttribute('href')).filter(h => !document.getElementById(h.slice(1)))`); len(broken) > 0 {
		b.t.Errorf("%s: error summary links to missing fields %v", name, broken)
	}
	// Every error message beside a field is read out with the field.
	if unlinked := evalJS[[]string](b, `[...document.querySelectorAll('.govuk-error-message')]
		.filter(m => !m.id || !document.querySelector('[aria-describedby~="' + m.id + '"]')).map(m => m.id || m.textContent.trim())`); len(unlinked) > 0 {
		b.t.Errorf("%s: error messages not linked to their fields with aria-describedby: %v", name, unlinked)
	}
}

func TestBrowser_EveryPageIsAccessible(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	ctx := context.Background()
	outreach := browserOrgOfType(t, tr, waymark.OrgHomelessOutreach)

	// page runs one check of a page as a subtest, on a tab shared by the subtests.
	page := func(t *testing.T, b *browserTab, name string, f func(b *browserTab)) {
		t.Run(name, func(t *testing.T) { f(b.on(t)) })
	}

	t.Run("axe_finds_problems", func(t *testing.T) {
		// A check of the checker: a page with a known failure must fail.
		t.Parallel()
		b := newBrowserTab(t, browser, tr.srv.URL)
		b.open("/sign-in")
		b.do("break the page", chromedp.Evaluate[chromedp.Void](`document.querySelector('main').append(
			Object.assign(document.createElement('img'), {src: '/assets/images/favicon.svg'}))`))
		if !slices.ContainsFunc(b.axeViolations(), func(v axeViolation) bool { return v.ID == "image-alt" }) {
			t.Error("axe-core did not report an image without alt text")
		}
	})

	t.Run("anonymous", func(t *testing.T) {
		t.Parallel()
		inv, err := sqldb.NewUserService(tr.db).InviteUser(ctx, waymark.SystemActor(), &waymark.User{
			OrgID: outreach.ID, Name: "Ada Invited", Email: "ada.invited@example.org", Role: waymark.RoleFrontline})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowserTab(t, browser, tr.srv.URL)
		page(t, b, "sign-in", func(b *browserTab) { b.visit("sign-in", "/sign-in", http.StatusOK) })
		page(t, b, "sign-in_empty", func(b *browserTab) {
			b.open("/sign-in")
			status := b.click(`main form[action="/sign-in"] button[type=submit]`)
			b.wantErrorSummary("sign-in, empty", status, http.StatusUnprocessableEntity)
			b.checkPage("sign-in, empty")
		})
		page(t, b, "sign-in_wrong_password", func(b *browserTab) {
			b.open("/sign-in")
			// An address nobody has, so that the failure counts against no one signing in beside.
			b.typeInto("#email", "nobody@example.org")
			b.typeInto("#password", "not the password at all")
			status := b.click(`main form[action="/sign-in"] button[type=submit]`)
			b.wantErrorSummary("sign-in, wrong password", status, http.StatusUnauthorized)
			if b.count("#email-error") != 1 {
				b.t.Errorf("sign-in, wrong password: the problem is not shown at the email field")
			}
			if n := b.count(`[role=alert]`); n != 1 {
				b.t.Errorf("sign-in, wrong password: %d alerts; a screen reader should hear the problem once", n)
			}
			b.checkPage("sign-in, wrong password")
		})
		page(t, b, "set-password", func(b *browserTab) { b.visit("set-password", "/set-password/"+inv.Token, http.StatusOK) })
		page(t, b, "set-password_mismatch", func(b *browserTab) {
			b.open("/set-password/" + inv.Token)
			b.typeInto("#password", "correct horse battery staple")
			b.typeInto("#confirm", "correct horse battery stapler")
			status := b.click(`main form button[type=submit]`)
			b.wantErrorSummary("set-password, passwords differ", status, http.StatusUnprocessableEntity)
			b.checkPage("set-password, passwords differ")
		})
		page(t, b, "not-found", func(b *browserTab) { b.visit("not found", "/no-such-page", http.StatusNotFound) })
		page(t, b, "signed-in_page", func(b *browserTab) {
			b.open("/home")
			b.wantPage("/sign-in", "Sign in to Waymark")
		})
	})

	for _, u := range tr.region.Showcase() {
		t.Run(string(u.Role), func(t *testing.T) {
			t.Parallel()
			b := newBrowserTab(t, browser, tr.srv.URL)
			b.signInDemo(u)
			page(t, b, "home", func(b *browserTab) { b.visit("home", "/home", http.StatusOK) })
			page(t, b, "account", func(b *browserTab) { b.visit("account", "/account", http.StatusOK) })
			page(t, b, "tokens", func(b *browserTab) { b.visit("tokens", "/account/tokens", http.StatusOK) })
			page(t, b, "two-step_setup", func(b *browserTab) { b.visit("two-step setup", "/account/two-step", http.StatusOK) })
			page(t, b, "not-found", func(b *browserTab) { b.visit("not found", "/no-such-page", http.StatusNotFound) })

			if u.Role.Can(waymark.PermViewClients) {
				ids := tr.clients[u.OrgID]
				if len(ids) == 0 {
					t.Fatalf("%s has no clients to show", u.OrgName)
				}
				page(t, b, "clients", func(b *browserTab) { b.visit("clients", "/clients", http.StatusOK) })
				page(t, b, "clients_none_found", func(b *browserTab) {
					b.open("/clients")
					b.typeInto("#name", "zzzzzzzz")
					if status := b.click(`main form[action="/clients/search"] button[type=submit]`); status != http.StatusOK {
						b.t.Errorf("search: status %d", status)
					}
					if !strings.Contains(b.text("main"), "No clients found") {
						b.t.Errorf("a search with no results does not say so")
					}
					b.checkPage("clients, none found")
				})
				page(t, b, "client", func(b *browserTab) { b.visit("client", "/clients/"+ids[0], http.StatusOK) })
			} else {
				page(t, b, "clients_not_offered", func(b *browserTab) { b.visit("clients, not offered", "/clients", http.StatusNotFound) })
			}

			switch u.Role {
			case waymark.RoleFrontline:
				page(t, b, "tokens_empty_name", func(b *browserTab) {
					b.open("/account/tokens")
					status := b.click(`main form[action="/account/tokens"] button[type=submit]`)
					b.wantErrorSummary("tokens, empty name", status, http.StatusUnprocessableEntity)
					b.checkPage("tokens, empty name")
				})
				page(t, b, "tokens_made", func(b *browserTab) {
					b.open("/account/tokens")
					b.typeInto("#name", "Case export")
					if status := b.click(`main form[action="/account/tokens"] button[type=submit]`); status != http.StatusOK {
						b.t.Errorf("make a token: status %d", status)
					}
					if b.count("#new-token") != 1 || b.count(`form[action$="/revoke"]`) != 1 {
						b.t.Fatalf("the new token and its revoke button are not shown")
					}
					b.checkPage("tokens, token made")
				})
				page(t, b, "account_password_empty", func(b *browserTab) {
					b.open("/account")
					status := b.click(`main form[action="/account/password"] button[type=submit]`)
					b.wantErrorSummary("account, empty password form", status, http.StatusUnprocessableEntity)
					b.checkPage("account, empty password form")
				})
				page(t, b, "two-step_wrong_code", func(b *browserTab) {
					b.open("/account/two-step")
					b.typeInto("#code", "12345")
					status := b.click(`main form[action="/account/two-step"] button[type=submit]`)
					b.wantErrorSummary("two-step setup, wrong code", status, http.StatusUnprocessableEntity)
					b.checkPage("two-step setup, wrong code")
				})

			case waymark.RoleOrgAdmin:
				page(t, b, "staff", func(b *browserTab) { b.visit("staff", "/users", http.StatusOK) })
				page(t, b, "invite", func(b *browserTab) { b.visit("invite", "/users/new", http.StatusOK) })
				page(t, b, "invite_empty", func(b *browserTab) {
					b.open("/users/new")
					status := b.click(`main form[action="/users"] button[type=submit]`)
					b.wantErrorSummary("invite, empty", status, http.StatusUnprocessableEntity)
					b.checkPage("invite, empty")
				})
				page(t, b, "user", func(b *browserTab) { b.visit("user", "/users/"+browserColleague(t, tr, u).ID, http.StatusOK) })
				page(t, b, "user_self", func(b *browserTab) { b.visit("user, self", "/users/"+u.ID, http.StatusOK) })
				page(t, b, "audit", func(b *browserTab) { b.visit("audit", "/audit", http.StatusOK) })

			case waymark.RoleSystemAdmin:
				page(t, b, "organisations", func(b *browserTab) { b.visit("organisations", "/organisations", http.StatusOK) })
				page(t, b, "organisation_new", func(b *browserTab) { b.visit("new organisation", "/organisations/new", http.StatusOK) })
				page(t, b, "organisation_new_empty", func(b *browserTab) {
					b.open("/organisations/new")
					status := b.click(`main form[action="/organisations"] button[type=submit]`)
					b.wantErrorSummary("new organisation, empty", status, http.StatusUnprocessableEntity)
					b.checkPage("new organisation, empty")
				})
				page(t, b, "organisation", func(b *browserTab) { b.visit("organisation", "/organisations/"+outreach.ID, http.StatusOK) })
				page(t, b, "organisation_user", func(b *browserTab) {
					b.open("/organisations/" + outreach.ID)
					if status := b.click(`main table a[href^="/users/"]`); status != http.StatusOK {
						b.t.Errorf("user from the organisation's staff: status %d", status)
					}
					if !strings.HasPrefix(b.path(), "/users/") {
						b.t.Fatalf("the staff link led to %s", b.path())
					}
					b.checkPage("user of an organisation")
				})
				page(t, b, "organisation_invite", func(b *browserTab) {
					b.visit("invite to an organisation", "/users/new?org="+outreach.ID, http.StatusOK)
				})
				page(t, b, "audit", func(b *browserTab) { b.visit("audit", "/audit", http.StatusOK) })

			default:
				page(t, b, "staff_not_offered", func(b *browserTab) { b.visit("staff, not offered", "/users", http.StatusNotFound) })
			}
		})
	}
}

func TestBrowser_InviteSetPasswordAndTwoStep(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHomelessHostel)
	const (
		name     = "Noor Haddad"
		email    = "noor.haddad@example.org"
		password = "lantern orchard pebble kettle"
	)
	b := newBrowserTab(t, browser, tr.srv.URL)

	// The admin invites Noor and gets the link to give her.
	b.signInDemo(admin)
	b.click(`nav a[href="/users"]`)
	b.wantPage("/users", "Staff")
	b.click(`main a[href="/users/new"]`)
	b.wantPage("/users/new", "Invite someone")
	b.typeInto("#name", name)
	b.typeInto("#email", email)
	b.do("choose frontline", chromedp.Click(chromedp.CSS(`label[for="role"]`)))
	if got := evalJS[string](b, `document.querySelector('input[name=role]:checked').value`); got != string(waymark.RoleFrontline) {
		t.Fatalf("role chosen is %q, want frontline", got)
	}
	b.click(`main form[action="/users"] button[type=submit]`)
	if got := b.text("h1"); got != "Invitation made" {
		t.Fatalf("after inviting, the h1 is %q", got)
	}
	link, err := url.Parse(b.text("#invitation-link"))
	if err != nil || !strings.HasPrefix(link.Path, "/set-password/") {
		t.Fatalf("invitation link %q: %v", b.text("#invitation-link"), err)
	}
	b.signOut()

	// Noor opens the link and sets her password.
	if status := b.open(link.Path); status != http.StatusOK {
		t.Fatalf("set-password link: status %d", status)
	}
	b.wantPage(link.Path, "Set your password")
	if !strings.Contains(b.text("main"), email) {
		t.Errorf("the set-password page does not say whose password it sets")
	}
	b.checkPage("set-password")
	b.typeInto("#password", password)
	b.typeInto("#confirm", password)
	b.click(`main form button[type=submit]`)
	b.wantPage("/sign-in", "Sign in to Waymark")
	if flash := b.text("main"); !strings.Contains(flash, "Your password is set") {
		t.Errorf("after setting a password the sign-in page says %q", flash)
	}

	// She signs in and turns on two-step sign-in from her account page.
	b.signIn(email, password)
	b.wantPage("/home", "Home")
	b.click(`nav a[href="/account"]`)
	b.click(`main a[href="/account/two-step"]`)
	b.wantPage("/account/two-step", "Set up two-step sign-in")
	b.checkPage("two-step setup")
	secret := b.text("#secret")
	code, err := waymark.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatalf("secret %q: %v", secret, err)
	}
	b.typeInto("#code", code)
	b.click(`main form[action="/account/two-step"] button[type=submit]`)
	if got := b.text("h1"); got != "Two-step sign-in is on" {
		t.Fatalf("after entering the code, the h1 is %q", got)
	}
	recovery := evalJS[[]string](b, `[...document.querySelectorAll('main li code')].map(c => c.textContent.trim())`)
	if len(recovery) < 5 {
		t.Fatalf("got %d recovery codes %q, want several", len(recovery), recovery)
	}
	b.checkPage("recovery codes")
	b.click(`main a[href="/home"]`)
	b.wantPage("/home", "Home")
	b.signOut()

	// Signing in now asks for a code from her phone. Codes are single use, so this is the next
	// time step's code: the server accepts a step of drift, as from a phone whose clock is fast.
	b.signIn(email, password)
	b.wantPage("/sign-in/two-step", "Enter your security code")
	b.checkPage("security code")
	b.typeInto("#code", code) // already used
	status := b.click(`main form[action="/sign-in/two-step"] button[type=submit]`)
	b.wantErrorSummary("security code, used code", status, http.StatusUnauthorized)
	b.checkPage("security code, used code")
	next, err := waymark.TOTPCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	b.typeInto("#code", next)
	b.click(`main form[action="/sign-in/two-step"] button[type=submit]`)
	b.wantPage("/home", "Home")
	b.signOut()

	// Without her phone, a recovery code works once.
	b.signIn(email, password)
	b.wantPage("/sign-in/two-step", "Enter your security code")
	b.typeInto("#code", recovery[0])
	b.click(`main form[action="/sign-in/two-step"] button[type=submit]`)
	b.wantPage("/home", "Home")
	if who := b.text("header"); !strings.Contains(who, name) {
		t.Errorf("the header says %q, want %s", who, name)
	}
}

// xssOrgName and xssUserName would run script if a page put them into its HTML unescaped, and
// formulaText would run a command if a spreadsheet took it for a formula.
const (
	xssOrgName  = `<img src=x onerror="window.__xss=1">"'><script>window.__xss=1</script>`
	xssUserName = `<script>window.__xss=1</script>`
	formulaText = `=cmd|' /C calc'!A0`
)

// wantInert fails unless the page shows each text literally and nothing in it became markup.
func (b *browserTab) wantInert(name string, texts ...string) {
	b.t.Helper()
	if evalJS[bool](b, `typeof window.__xss !== 'undefined'`) {
		b.t.Errorf("%s: the hostile text ran as script", name)
	}
	if n := evalJS[int](b, `document.querySelectorAll('img[src="x"], img[onerror]').length +
		[...document.scripts].filter(s => s.textContent.includes('__xss')).length`); n > 0 {
		b.t.Errorf("%s: the hostile text became %d elements", name, n)
	}
	visible := evalJS[string](b, `document.body.innerText`)
	content := evalJS[string](b, `document.body.textContent`)
	for _, s := range texts {
		if !strings.Contains(visible, s) {
			b.t.Errorf("%s: the page does not show %q literally", name, s)
		}
		if strings.Contains(s, "<script>") && !strings.Contains(content, "<script>") {
			b.t.Errorf("%s: the text content has no literal <script>", name)
		}
	}
}

func TestBrowser_HostileTextIsInert(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	var sysadmin demo.UserInfo
	for _, u := range tr.region.Showcase() {
		if u.Role == waymark.RoleSystemAdmin {
			sysadmin = u
		}
	}
	admin := tr.user(t, waymark.RoleOrgAdmin, waymark.OrgHomelessHostel)

	// An organisation admin invites people whose names look like markup and like a formula.
	staff := newBrowserTab(t, browser, tr.srv.URL)
	staff.signInDemo(admin)
	var userIDs []string
	for i, name := range []string{xssUserName, formulaText} {
		staff.open("/users/new")
		staff.typeInto("#name", name)
		staff.typeInto("#email", fmt.Sprintf("x%d@example.org", i))
		if status := staff.click(`main form[action="/users"] button[type=submit]`); status != http.StatusOK {
			t.Fatalf("invite %q: status %d: %s", name, status, staff.text("main"))
		}
		staff.wantInert("invitation for "+name, name)
		href := evalJS[string](staff, `document.querySelector('main a[href^="/users/"]').getAttribute('href')`)
		userIDs = append(userIDs, strings.TrimPrefix(href, "/users/"))
	}
	staff.open("/users")
	staff.wantInert("staff list", xssUserName, formulaText)
	for i, id := range userIDs {
		staff.open("/users/" + id)
		staff.wantInert("user page "+id, []string{xssUserName, formulaText}[i])
		staff.checkPage("user page with hostile name")
	}
	staff.open("/audit")
	staff.wantInert("audit log")

	// A system admin adds organisations with such names, and sees the staff above.
	sys := newBrowserTab(t, browser, tr.srv.URL)
	sys.signInDemo(sysadmin)
	var orgPaths []string
	for _, name := range []string{xssOrgName, formulaText} {
		sys.open("/organisations/new")
		sys.typeInto("#name", name)
		sys.do("choose a type", chromedp.SetValue(chromedp.CSS("#type"), string(waymark.OrgAntiSlaveryCharity)))
		sys.typeInto("#area", "Testshire")
		if status := sys.click(`main form[action="/organisations"] button[type=submit]`); status != http.StatusOK {
			t.Fatalf("add organisation %q: status %d: %s", name, status, sys.text("main"))
		}
		if !strings.HasPrefix(sys.path(), "/organisations/") || sys.text("h1") != name {
			t.Fatalf("after adding %q: on %s with h1 %q", name, sys.path(), sys.text("h1"))
		}
		sys.wantInert("new organisation "+name, name)
		if got := evalJS[string](sys, `document.getElementById('name').value`); got != name {
			t.Errorf("the name field holds %q, want %q", got, name)
		}
		orgPaths = append(orgPaths, sys.path())
	}
	sys.open("/organisations")
	sys.wantInert("organisations list", xssOrgName, formulaText)
	sys.open(orgPaths[0])
	sys.wantInert("organisation page", xssOrgName)
	sys.checkPage("organisation with hostile name")
	sys.open("/organisations/" + admin.OrgID)
	sys.wantInert("organisation staff", xssUserName, formulaText)
	sys.open("/users/" + userIDs[0])
	sys.wantInert("user page as system admin", xssUserName)
	sys.open("/audit")
	sys.wantInert("regional audit log")
}

func TestBrowser_WorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	browser := startBrowser(t)
	tr := newTestRegion(t, sqldbtest.Engines(t)[0], browserClients)
	u := tr.user(t, waymark.RoleFrontline, waymark.OrgHomelessOutreach)
	actor := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role}
	var client *waymark.Client
	for _, id := range tr.clients[u.OrgID] {
		c, err := sqldb.NewClientService(tr.db).FindClientByID(context.Background(), actor, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.GivenName != "" {
			client = c
			break
		}
	}
	if client == nil {
		t.Fatalf("no named client in %s", u.OrgName)
	}

	b := newBrowserTab(t, browser, tr.srv.URL)
	b.do("turn off JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.signInDemo(u)
	if evalJS[bool](b, `document.body.classList.contains('js-enabled')`) {
		t.Fatal("the page's own script ran: JavaScript is not off")
	}

	// Search from the home page.
	b.typeInto("#name", client.GivenName)
	b.click(`main form[action="/clients/search"] button[type=submit]`)
	// The name searched for is personal data: it travels in the form body, never the address.
	if got, want := b.path(), "/clients/search"; got != want {
		t.Fatalf("search led to %s, want %s", got, want)
	}
	result := fmt.Sprintf(`main table a[href="/clients/%s"]`, client.ID)
	if b.count(result) != 1 {
		t.Fatalf("%s is not in the results for %q: %s", client.DisplayName(), client.GivenName, b.text("main"))
	}
	b.click(result)
	b.wantPage("/clients/"+client.ID, client.DisplayName())
	if title := evalJS[string](b, `document.title`); strings.Contains(title, client.GivenName) {
		t.Errorf("the client's name is in the page title %q, which browsers keep in their history", title)
	}
	b.signOut()
	if !strings.Contains(b.text("main"), "You have signed out") {
		t.Errorf("signing out does not say so: %s", b.text("main"))
	}
	b.open("/clients/" + client.ID)
	b.wantPage("/sign-in", "Sign in to Waymark")
}
