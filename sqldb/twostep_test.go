package sqldb_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"waymark"
)

// enrol sets up two-step sign-in for u and returns the secret and recovery codes.
func (e *env) enrol(t *testing.T, u *waymark.User, token string) (string, []string) {
	t.Helper()
	actor := actorOf(u)
	en, err := e.auth.BeginTwoStepSetup(ctx, actor)
	mustOK(t, err)
	code, err := waymark.TOTPCode(en.Secret, e.clock.Now())
	mustOK(t, err)
	codes, err := e.auth.ConfirmTwoStepSetup(ctx, actor, token, en.Secret, code)
	mustOK(t, err)
	return en.Secret, codes
}

// code returns the authenticator app's code at the clock's time.
func (e *env) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := waymark.TOTPCode(secret, e.clock.Now())
	mustOK(t, err)
	return c
}

// wrongCodes returns n six-digit codes that the secret does not produce at any step accepted now.
func (e *env) wrongCodes(t *testing.T, secret string, n int) []string {
	t.Helper()
	var out []string
	for i := 0; len(out) < n; i++ {
		c := fmt.Sprintf("%06d", i*7919)
		if _, ok := waymark.TOTPMatch(secret, c, e.clock.Now()); !ok {
			out = append(out, c)
		}
	}
	return out
}

func TestTwoStep(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *env) {
		strict := e.org(t, "Strict Two-Step Trust", true)
		relaxed := e.org(t, "Relaxed Day Centre", false)

		t.Run("a password alone cannot replace the authenticator", func(t *testing.T) {
			u, actor := e.user(t, relaxed, waymark.RoleFrontline)
			first := e.signIn(t, u)
			e.enrol(t, u, first.Token)
			e.clock.Advance(time.Minute)
			// Someone with only the password reaches the second step, and tries to enrol their own phone.
			half := e.signIn(t, u)
			en, err := e.auth.BeginTwoStepSetup(ctx, actor)
			mustOK(t, err)
			_, err = e.auth.ConfirmTwoStepSetup(ctx, actor, half.Token, en.Secret, e.code(t, en.Secret))
			wantCode(t, err, waymark.EFORBIDDEN)
			// The session that passed the second step may.
			e.clock.Advance(time.Minute)
			en, err = e.auth.BeginTwoStepSetup(ctx, actor)
			mustOK(t, err)
			if _, err := e.auth.ConfirmTwoStepSetup(ctx, actor, first.Token, en.Secret, e.code(t, en.Secret)); err != nil {
				t.Errorf("re-enrolling from a session that passed two-step: %v", err)
			}
		})

		t.Run("setting up with a wrong code is refused and changes nothing", func(t *testing.T) {
			u, actor := e.user(t, strict, waymark.RoleFrontline)
			s := e.signIn(t, u)
			en, err := e.auth.BeginTwoStepSetup(ctx, actor)
			mustOK(t, err)
			if en.Secret == "" || !strings.HasPrefix(en.URI, "otpauth://totp/") || !strings.Contains(en.URI, "secret="+en.Secret) {
				t.Errorf("enrolment = %+v", en)
			}
			bad := e.wrongCodes(t, en.Secret, 1)[0]
			_, err = e.auth.ConfirmTwoStepSetup(ctx, actor, s.Token, en.Secret, bad)
			wantCode(t, err, waymark.EINVALID)
			if waymark.ErrorFields(err)["code"] == "" {
				t.Errorf("no message for the code field: %v", err)
			}
			got, err := e.users.FindUserByID(ctx, actor, u.ID)
			mustOK(t, err)
			if got.TwoStep {
				t.Error("two-step was turned on by a wrong code")
			}
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.Stage != waymark.StageTwoStepSetup {
				t.Errorf("stage after a wrong code = %v, want StageTwoStepSetup", id.Stage)
			}
		})
		t.Run("setting up with the right code finishes the session's sign-in and gives recovery codes", func(t *testing.T) {
			u, actor := e.user(t, strict, waymark.RoleFrontline)
			s := e.signIn(t, u)
			_, codes := e.enrol(t, u, s.Token)
			if len(codes) != 10 {
				t.Errorf("%d recovery codes, want 10", len(codes))
			}
			seen := map[string]bool{}
			for _, c := range codes {
				if seen[c] || len(waymark.NormalizeRecoveryCode(c)) < 12 {
					t.Errorf("recovery code %q is repeated or short", c)
				}
				seen[c] = true
			}
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.Stage != waymark.StageDone {
				t.Errorf("stage after set-up = %v, want StageDone", id.Stage)
			}
			got, err := e.users.FindUserByID(ctx, actor, u.ID)
			mustOK(t, err)
			if !got.TwoStep {
				t.Error("TwoStep is false after set-up")
			}
		})
		t.Run("after set-up sign-in asks for a code and the code gives a new token", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			secret, _ := e.enrol(t, u, "")
			s := e.signIn(t, u)
			if s.Identity.Stage != waymark.StageTwoStep {
				t.Fatalf("stage = %v, want StageTwoStep", s.Identity.Stage)
			}
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.Stage != waymark.StageTwoStep {
				t.Errorf("Authenticate stage = %v, want StageTwoStep", id.Stage)
			}
			// The code used for set-up was spent there.
			_, err = e.auth.CompleteTwoStep(ctx, s.Token, e.code(t, secret), "192.0.2.5")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			e.clock.Advance(30 * time.Second)
			code := e.code(t, secret)
			newToken, err := e.auth.CompleteTwoStep(ctx, s.Token, code, "192.0.2.5")
			mustOK(t, err)
			if newToken == "" || newToken == s.Token {
				t.Fatalf("CompleteTwoStep returned %q; want a new token", newToken)
			}
			_, err = e.auth.Authenticate(ctx, s.Token)
			wantCode(t, err, waymark.EUNAUTHORIZED)
			id, err = e.auth.Authenticate(ctx, newToken)
			mustOK(t, err)
			if id.Stage != waymark.StageDone || id.User.ID != u.ID {
				t.Errorf("identity with the new token: stage %v, user %q", id.Stage, id.User.ID)
			}
			_, err = e.auth.CompleteTwoStep(ctx, newToken, code, "192.0.2.5")
			wantCode(t, err, waymark.EINVALID)

			t.Run("the same code cannot be used twice", func(t *testing.T) {
				again := e.signIn(t, u)
				_, err := e.auth.CompleteTwoStep(ctx, again.Token, code, "192.0.2.5")
				wantCode(t, err, waymark.EUNAUTHORIZED)
				// Not even as the previous step once the clock moves on.
				e.clock.Advance(30 * time.Second)
				_, err = e.auth.CompleteTwoStep(ctx, again.Token, code, "192.0.2.5")
				wantCode(t, err, waymark.EUNAUTHORIZED)
				_, err = e.auth.CompleteTwoStep(ctx, again.Token, e.code(t, secret), "192.0.2.5")
				mustOK(t, err)
			})
		})
		t.Run("a recovery code works once only", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			_, codes := e.enrol(t, u, "")
			s := e.signIn(t, u)
			tok, err := e.auth.CompleteTwoStep(ctx, s.Token, codes[0], "192.0.2.6")
			mustOK(t, err)
			if _, err := e.auth.Authenticate(ctx, tok); err != nil {
				t.Fatal(err)
			}
			s = e.signIn(t, u)
			_, err = e.auth.CompleteTwoStep(ctx, s.Token, codes[0], "192.0.2.6")
			wantCode(t, err, waymark.EUNAUTHORIZED)
			// Typed in lower case without dashes, another one works.
			typed := strings.ToLower(strings.ReplaceAll(codes[1], "-", " "))
			_, err = e.auth.CompleteTwoStep(ctx, s.Token, typed, "192.0.2.6")
			mustOK(t, err)
			if n := e.countActions(t)[waymark.AuditRecoveryCodeUsed]; n != 2 {
				t.Errorf("%d recovery code entries, want 2", n)
			}
		})
		t.Run("five wrong codes pause the second step", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			secret, _ := e.enrol(t, u, "")
			e.clock.Advance(30 * time.Second)
			s := e.signIn(t, u)
			for _, c := range e.wrongCodes(t, secret, waymark.AccountFailureLimit) {
				_, err := e.auth.CompleteTwoStep(ctx, s.Token, c, "192.0.2.7")
				wantCode(t, err, waymark.EUNAUTHORIZED)
			}
			_, err := e.auth.CompleteTwoStep(ctx, s.Token, e.code(t, secret), "192.0.2.7")
			wantCode(t, err, waymark.ETHROTTLED)
			retryTime(t, waymark.ErrorMessage(err))
			id, err := e.auth.Authenticate(ctx, s.Token)
			mustOK(t, err)
			if id.Stage != waymark.StageTwoStep {
				t.Errorf("stage while paused = %v, want StageTwoStep", id.Stage)
			}
			n2 := e.countActions(t)
			if n2[waymark.AuditTwoStepFailed] < waymark.AccountFailureLimit || n2[waymark.AuditSignInThrottled] == 0 {
				t.Errorf("audit actions = %v", n2)
			}
		})
		t.Run("codes sent all at once are checked no more than five times", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			secret, _ := e.enrol(t, u, "")
			s := e.signIn(t, u)
			wrong := e.wrongCodes(t, secret, 10)
			codes := make([]string, len(wrong))
			var wg sync.WaitGroup
			for i, c := range wrong {
				wg.Go(func() {
					_, err := e.auth.CompleteTwoStep(ctx, s.Token, c, "192.0.2.8")
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
					t.Errorf("code %d: error code %q", i, c)
				}
			}
			if checked > waymark.AccountFailureLimit {
				t.Errorf("%d of %d simultaneous codes were checked, want at most %d", checked, len(wrong), waymark.AccountFailureLimit)
			}
		})
		t.Run("one code sent twice at once signs in only once", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			secret, _ := e.enrol(t, u, "")
			e.clock.Advance(30 * time.Second)
			a, b := e.signIn(t, u), e.signIn(t, u)
			code := e.code(t, secret)
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, tok := range []string{a.Token, b.Token} {
				wg.Go(func() {
					_, errs[i] = e.auth.CompleteTwoStep(ctx, tok, code, "192.0.2.8")
				})
			}
			wg.Wait()
			if errs[0] == nil && errs[1] == nil {
				t.Error("the same code completed two sign-ins")
			}
		})
		t.Run("the two-step secret is sealed at rest", func(t *testing.T) {
			u, _ := e.user(t, relaxed, waymark.RoleFrontline)
			secret, _ := e.enrol(t, u, "")
			var sealed []byte
			mustOK(t, e.raw(t).QueryRowContext(ctx, `SELECT totp_secret FROM users WHERE id = $1`, u.ID).Scan(&sealed))
			if len(sealed) == 0 || bytes.Contains(sealed, []byte(secret)) || !bytes.HasPrefix(sealed, []byte("wms1")) {
				t.Errorf("stored secret %q is not sealed", sealed)
			}
		})
		t.Run("set-up is audited", func(t *testing.T) {
			var got []string
			for _, x := range e.auditEntries(t, waymark.AuditFilter{}) {
				if x.Action == waymark.AuditTwoStepEnabled && x.ActorUserID != x.ObjectID {
					got = append(got, x.ObjectID)
				}
			}
			if diff := cmp.Diff([]string(nil), got); diff != "" {
				t.Errorf("two_step.enabled entries not made by the user themselves: %s", diff)
			}
			if e.countActions(t)[waymark.AuditTwoStepEnabled] < 5 {
				t.Error("set-ups were not audited")
			}
		})
	})
}
