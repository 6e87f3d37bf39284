package sqldb_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		open, strict := e.org(t, "Open Door Outreach", false), e.org(t, "Strict Hostel", true)

		t.Run("the right password signs in fully when two-step is not required", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			s, err := e.auth.SignIn(ctx, "  "+strings.ToUpper(u.Email)+" ", testPassword, "192.0.2.20")
			mustOK(t, err)
			if !strings.HasPrefix(s.Token, "wms_") || len(s.Token) < 30 {
				t.Errorf("token %q is not a session token", s.Token)
			}
			id := s.Identity
			if id.Stage != waymark.StageDone || id.User.ID != u.ID || id.Organisation.ID != open.ID || id.Session == nil || !id.Session.TwoStepDone {
				t.Errorf("identity = %+v (session %+v)", id, id.Session)
			}
			got, err := e.users.FindUserByID(ctx, system, u.ID)
			mustOK(t, err)
			if got.LastSignIn == nil || !got.LastSignIn.Equal(e.clock.Now()) {
				t.Errorf("LastSignIn = %v, want %v", got.LastSignIn, e.clock.Now())
			}
			again := e.signIn(t, u)
			if again.Token == s.Token {
				t.Error("two sign-ins were given the same token")
			}
		})
		t.Run("the right password asks for two-step set-up when the organisation requires it", func(t *testing.T) {
			u, _ := e.user(t, strict, waymark.RoleFrontline)
			s := e.signIn(t, u)
			if s.Identity.Stage != waymark.StageTwoStepSetup || s.Identity.Session.TwoStepDone {
				t.Errorf("stage = %v, two-step done = %v; want StageTwoStepSetup, false", s.Identity.Stage, s.Identity.Session.TwoStepDone)
			}
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.Stage != waymark.StageTwoStepSetup {
				t.Errorf("Authenticate stage = %v, want StageTwoStepSetup", id.Stage)
			}
		})
		t.Run("wrong password is refused with the same message as unknown email", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			_, errUnknown := e.auth.SignIn(ctx, "nobody.here@example.org", testPassword, "192.0.2.21")
			_, errWrong := e.auth.SignIn(ctx, u.Email, testPassword+"!", "192.0.2.21")
			_, errEmpty := e.auth.SignIn(ctx, u.Email, "", "192.0.2.21")
			for name, err := range map[string]error{"unknown email": errUnknown, "wrong password": errWrong, "empty password": errEmpty} {
				wantCode(t, err, waymark.EUNAUTHORIZED)
				if diff := cmp.Diff(waymark.ErrorMessage(errUnknown), waymark.ErrorMessage(err)); diff != "" {
					t.Errorf("%s: message differs from unknown email's (-unknown +this):\n%s", name, diff)
				}
				if diff := cmp.Diff(waymark.ErrorFields(errUnknown), waymark.ErrorFields(err)); diff != "" {
					t.Errorf("%s: fields differ from unknown email's:\n%s", name, diff)
				}
			}
		})
		t.Run("disabled users, disabled organisations and users without a password are refused the same way", func(t *testing.T) {
			_, errUnknown := e.auth.SignIn(ctx, "nobody.at.all@example.org", testPassword, "192.0.2.22")
			disabled, _ := e.user(t, open, waymark.RoleFrontline)
			_, err := e.users.UpdateUser(ctx, system, disabled.ID, waymark.UserUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			closing := e.org(t, "Closing Down Centre", false)
			inClosed, _ := e.user(t, closing, waymark.RoleFrontline)
			_, err = e.orgs.UpdateOrganisation(ctx, system, closing.ID, waymark.OrganisationUpdate{Disabled: ptr(true)})
			mustOK(t, err)
			inv, err := e.users.InviteUser(ctx, system, &waymark.User{OrgID: open.ID, Email: "no.password@example.org", Name: "No Password", Role: waymark.RoleFrontline})
			mustOK(t, err)
			for name, email := range map[string]string{"disabled user": disabled.Email, "disabled organisation": inClosed.Email, "no password": inv.User.Email} {
				_, err := e.auth.SignIn(ctx, email, testPassword, "192.0.2.22")
				wantCode(t, err, waymark.EUNAUTHORIZED)
				if diff := cmp.Diff(waymark.ErrorMessage(errUnknown), waymark.ErrorMessage(err)); diff != "" {
					t.Errorf("%s: message differs from unknown email's (-unknown +this):\n%s", name, diff)
				}
			}
		})
	})
}

func TestSignInThrottling(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		open := e.org(t, "Open Door Outreach", false)
		t.Run("five failures pause the account even for the right password until the time the message gives", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			first := e.clock.Now()
			for i := range waymark.AccountFailureLimit {
				// A different address each time, so only the account limit applies.
				_, err := e.auth.SignIn(ctx, u.Email, "wrong password number "+fmt.Sprint(i), fmt.Sprintf("198.51.100.%d", i))
				wantCode(t, err, waymark.EUNAUTHORIZED)
				e.clock.Advance(time.Minute)
			}
			last := e.clock.Now().Add(-time.Minute)
			_, err := e.auth.SignIn(ctx, u.Email, testPassword, "198.51.100.99")
			wantCode(t, err, waymark.ETHROTTLED)
			msg := waymark.ErrorMessage(err)
			if strings.Contains(msg, u.Email) {
				t.Errorf("throttled message %q names the account", msg)
			}
			until := retryTime(t, msg)
			if until.Before(first.Add(waymark.ThrottleWindow)) || until.After(last.Add(waymark.ThrottleWindow)) {
				t.Errorf("message says try again at %v; want between %v and %v", until, first.Add(waymark.ThrottleWindow), last.Add(waymark.ThrottleWindow))
			}
			// The pause is per account: the same addresses may still sign in to another account.
			other, _ := e.user(t, open, waymark.RoleFrontline)
			if _, err := e.auth.SignIn(ctx, other.Email, testPassword, "198.51.100.1"); err != nil {
				t.Errorf("another account was paused too: %v", err)
			}
			e.clock.Advance(until.Sub(e.clock.Now()) - time.Second)
			_, err = e.auth.SignIn(ctx, u.Email, testPassword, "198.51.100.99")
			wantCode(t, err, waymark.ETHROTTLED)
			e.clock.Advance(time.Second)
			if _, err := e.auth.SignIn(ctx, u.Email, testPassword, "198.51.100.99"); err != nil {
				t.Fatalf("sign-in at the time the message gave: %v", err)
			}
			e.clock.Advance(waymark.ThrottleWindow)
		})
		t.Run("attempts made all at once cannot check more than five passwords", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			const n = 10
			var wg sync.WaitGroup
			codes := make([]string, n)
			for i := range n {
				wg.Go(func() {
					_, err := e.auth.SignIn(ctx, u.Email, fmt.Sprintf("parallel guess %d", i), fmt.Sprintf("198.51.100.%d", 100+i))
					codes[i] = waymark.ErrorCode(err)
				})
			}
			wg.Wait()
			checked := 0
			for i, c := range codes {
				switch c {
				case waymark.EUNAUTHORIZED:
					checked++
				case waymark.ETHROTTLED:
				default:
					t.Errorf("guess %d: error code %q", i, c)
				}
			}
			if checked > waymark.AccountFailureLimit {
				t.Fatalf("%d of %d simultaneous guesses were checked, want at most %d", checked, n, waymark.AccountFailureLimit)
			}
			// Guesses one at a time then reach exactly the limit in all.
			for {
				_, err := e.auth.SignIn(ctx, u.Email, "one more guess", "198.51.100.200")
				if waymark.ErrorCode(err) == waymark.ETHROTTLED {
					break
				}
				wantCode(t, err, waymark.EUNAUTHORIZED)
				if checked++; checked > waymark.AccountFailureLimit {
					t.Fatalf("%d guesses checked in one window", checked)
				}
			}
			if checked != waymark.AccountFailureLimit {
				t.Errorf("%d guesses checked before the pause, want %d", checked, waymark.AccountFailureLimit)
			}
			e.clock.Advance(waymark.ThrottleWindow)
		})
		t.Run("an unknown email is paused after five failures just like a real account", func(t *testing.T) {
			for i := range waymark.AccountFailureLimit {
				_, err := e.auth.SignIn(ctx, "ghost.account@example.org", "guess", fmt.Sprintf("203.0.113.%d", i))
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
			_, err := e.auth.SignIn(ctx, "ghost.account@example.org", "guess", "203.0.113.99")
			wantCode(t, err, waymark.ETHROTTLED)
			e.clock.Advance(waymark.ThrottleWindow)
		})
		t.Run("a successful sign-in clears the account's failures", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			for range waymark.AccountFailureLimit - 1 {
				_, err := e.auth.SignIn(ctx, u.Email, "not it", "192.0.2.30")
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
			e.signIn(t, u)
			_, err := e.auth.SignIn(ctx, u.Email, "not it", "192.0.2.30")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			e.signIn(t, u)
			e.clock.Advance(waymark.ThrottleWindow)
		})
		t.Run("failures, successes and pauses are audited without the password", func(t *testing.T) {
			u, _ := e.user(t, open, waymark.RoleFrontline)
			const wrong = "my-secret-wrong-guess"
			_, err := e.auth.SignIn(ctx, u.Email, wrong, "192.0.2.40")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			e.signIn(t, u)

			var got []string
			var throttled int
			for _, x := range e.auditEntries(t, waymark.AuditFilter{}) {
				if strings.Contains(x.Detail, wrong) || strings.Contains(x.Detail, testPassword) {
					t.Errorf("audit entry %d holds a password: %+v", x.Seq, x)
				}
				if x.Action == waymark.AuditSignInThrottled {
					throttled++
				}
				if x.ObjectID == u.ID && strings.HasPrefix(x.Action, "signin.") {
					got = append(got, fmt.Sprintf("%s %s org=%t addr=%s: %s", x.Action, x.ActorLabel, x.OrgID == open.ID, x.Addr, x.Detail))
				}
			}
			want := []string{
				"signin.failed sign-in org=true addr=192.0.2.40: wrong password",
				"signin.success " + u.Email + " org=true addr=192.0.2.1: password",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("sign-in audit entries (-want +got):\n%s", diff)
			}
			if throttled == 0 {
				t.Error("no signin.throttled entries were recorded")
			}
			n := e.countActions(t)
			if want := 3*waymark.AccountFailureLimit + 1; n[waymark.AuditSignInFailed] < want {
				t.Errorf("%d signin.failed entries, want at least %d", n[waymark.AuditSignInFailed], want)
			}
		})
	})
}

func TestSignInAddressThrottling(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		open := e.org(t, "Open Door Outreach", false)
		t.Run("thirty failures from one address pause it for every account", func(t *testing.T) {
			const addr = "192.0.2.66"
			// A few at a time, as a password spray would come: each attempt costs a deliberately slow hash.
			var wg sync.WaitGroup
			errs := make([]error, waymark.AddressFailureLimit)
			sem := make(chan struct{}, 4)
			for i := range waymark.AddressFailureLimit {
				wg.Go(func() {
					sem <- struct{}{}
					defer func() { <-sem }()
					_, errs[i] = e.auth.SignIn(ctx, fmt.Sprintf("spray.%d@example.org", i), "Winter2026!", addr)
				})
			}
			wg.Wait()
			for _, err := range errs {
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
			fresh, _ := e.user(t, open, waymark.RoleFrontline)
			_, err := e.auth.SignIn(ctx, fresh.Email, testPassword, addr)
			wantCode(t, err, waymark.ETHROTTLED)
			// Another address is not affected.
			if _, err := e.auth.SignIn(ctx, fresh.Email, testPassword, "192.0.2.67"); err != nil {
				t.Errorf("sign-in from another address: %v", err)
			}
			e.clock.Advance(waymark.ThrottleWindow)
			if _, err := e.auth.SignIn(ctx, fresh.Email, testPassword, addr); err != nil {
				t.Errorf("sign-in from the address once the window passed: %v", err)
			}
			n := map[string]int{}
			for _, x := range e.auditEntries(t, waymark.AuditFilter{}) {
				if x.Addr == addr {
					n[x.Action]++
				}
			}
			want := map[string]int{waymark.AuditSignInFailed: waymark.AddressFailureLimit, waymark.AuditSignInThrottled: 1, waymark.AuditSignIn: 1}
			if diff := cmp.Diff(want, n); diff != "" {
				t.Errorf("audit entries from the address (-want +got):\n%s", diff)
			}
		})
	})
}

// retryTime reads the time a throttled message says to try again after ("9:15am on 27 November 2026").
func retryTime(t *testing.T, msg string) time.Time {
	t.Helper()
	i := strings.Index(msg, "Try again after ")
	j := strings.Index(msg, ", or")
	if i < 0 || j < i {
		t.Fatalf("throttled message %q does not say when to try again", msg)
	}
	at, err := time.ParseInLocation("3:04pm on 2 January 2006", msg[i+len("Try again after "):j], waymark.London())
	if err != nil {
		t.Fatalf("throttled message %q: %v", msg, err)
	}
	return at.UTC()
}
