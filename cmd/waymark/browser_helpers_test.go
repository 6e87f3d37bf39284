package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"waymark/internal/demo"
)

// Browser tests drive a real Chromium through the pages of the web shell. They skip when Chromium
// is not installed, unless WAYMARK_TEST_BROWSER_REQUIRED=1 says that CI must run them.

const chromiumPath = "/usr/bin/chromium"

// browserStepTimeout bounds each browser action, and browserTabTimeout everything one tab does, so that a page
// that never loads fails the test instead of hanging it.
const (
	browserStepTimeout = 30 * time.Second
	browserTabTimeout  = 3 * time.Minute
)

// axeSource is axe-core's script, read once per test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("../../node_modules/axe-core/axe.min.js")
	return string(b), err
})

// axeRun runs the WCAG 2.2 AA rules, the standard Waymark's pages must meet, and lists the
// violations briefly.
const axeRun = `axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// startBrowser starts one headless Chromium for the test function and returns a context from
// which tabs are made. The browser ends when the test does.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("WAYMARK_TEST_BROWSER_REQUIRED") == "1" {
			t.Fatalf("browser tests are required but Chromium is missing: %v", err)
		}
		t.Skipf("Chromium is not installed at %s; set WAYMARK_TEST_BROWSER_REQUIRED=1 to fail instead", chromiumPath)
	}
	if _, err := axeSource(); err != nil {
		t.Fatalf("axe-core is missing (run npm ci in the repository root): %v", err)
	}
	// No UserDataDir option: chromedp then makes a temporary profile directory and removes it,
	// retrying while Chromium's child processes finish writing to it.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 1024),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser process to end
	})
	// The first Do starts the browser and binds its life to browserCtx, so it gets no timeout of
	// its own; the wait for it has one.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Chromium did not start within 30 seconds")
	}
	return browserCtx
}

// browserTab is one browser tab in its own browser context (like a private window), so that each
// signed-in person has their own cookies.
type browserTab struct {
	t    testing.TB
	ctx  context.Context
	base string
}

// newBrowserTab opens a tab in a fresh browser context. It closes, and its context is thrown away, when
// the test ends or after browserTabTimeout.
func newBrowserTab(t testing.TB, browserCtx context.Context, base string) *browserTab {
	t.Helper()
	tctx, cancelTimeout := context.WithTimeout(browserCtx, browserTabTimeout)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext())
	t.Cleanup(func() {
		cancel()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	watchScriptErrors(t, ctx)
	return &browserTab{t: t, ctx: ctx, base: base}
}

// watchScriptErrors fails the test, when it ends, for every script error in the tab: an exception
// nothing caught, an error written to the console, or an error the browser logged, such as a
// script or style the Content Security Policy blocked or a file that failed to load.
func watchScriptErrors(t testing.TB, ctx context.Context) {
	t.Helper()
	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "uncaught: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				p += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				p = "console error"
				for _, a := range ev.Args {
					p += " " + string(a.Value) + a.Description
				}
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError && !expectedStatus(ev.Entry) {
				p = fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("script error in the browser: %s", p)
		}
	})
}

// on returns the tab reporting to another test, for subtests that share a signed-in tab.
func (b *browserTab) on(t testing.TB) *browserTab {
	c := *b
	c.t = t
	return &c
}

// browserStep runs one action with the step timeout. The timeout ends the action, not the tab.
func browserStep[T any](b *browserTab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

func (b *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := browserStep(b, chromedp.Steps(steps...)); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// evalJS evaluates JavaScript in the tab's page and decodes the result.
func evalJS[T any](b *browserTab, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := browserStep(b, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// open navigates to a path of the server and returns the HTTP status of the page.
func (b *browserTab) open(path string) int {
	b.t.Helper()
	resp, err := browserStep(b, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if resp == nil {
		b.t.Fatalf("open %s: no response", path)
	}
	return int(resp.Status)
}

// click clicks the element and waits for the page it leads to, returning that page's status.
func (b *browserTab) click(sel string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserStepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if resp == nil {
		b.t.Fatalf("click %s: no page loaded", sel)
	}
	return int(resp.Status)
}

// typeInto types text into a form field, key by key.
func (b *browserTab) typeInto(sel, text string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// text is the visible text of the first element matching sel.
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	s, err := browserStep(b, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// path is the path and query of the page the tab shows.
func (b *browserTab) path() string {
	b.t.Helper()
	loc, err := browserStep(b, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// count is the number of elements matching a CSS selector, without waiting for any.
func (b *browserTab) count(sel string) int {
	b.t.Helper()
	return evalJS[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, sel))
}

// wantPage fails unless the tab shows the path with the h1.
func (b *browserTab) wantPage(path, h1 string) {
	b.t.Helper()
	if got := b.path(); got != path {
		b.t.Fatalf("on %s, want %s (h1 %q)", got, path, b.text("h1"))
	}
	if got := b.text("h1"); got != h1 {
		b.t.Fatalf("on %s the h1 is %q, want %q", path, got, h1)
	}
}

// signIn signs in through the sign-in form and waits for the page it leads to: home, or the
// second step for someone with two-step sign-in.
func (b *browserTab) signIn(email, password string) {
	b.t.Helper()
	b.open("/sign-in")
	b.typeInto("#email", email)
	b.typeInto("#password", password)
	if status := b.click(`main form[action="/sign-in"] button[type=submit]`); status != 200 {
		b.t.Fatalf("sign in as %s: status %d, on %s", email, status, b.path())
	}
}

// signInDemo signs in as a demo user and checks that home is reached.
func (b *browserTab) signInDemo(u demo.UserInfo) {
	b.t.Helper()
	b.signIn(u.Email, demo.Password)
	b.wantPage("/home", "Home")
}

// signOut presses the Sign out button in the header.
func (b *browserTab) signOut() {
	b.t.Helper()
	b.click(`header form[action="/sign-out"] button`)
	b.wantPage("/sign-in", "Sign in to Waymark")
}

// checkPage checks what every page must have: one h1, a title naming the page and Waymark, and
// no WCAG 2.2 AA failures that axe-core can find.
func (b *browserTab) checkPage(name string) {
	b.t.Helper()
	if n := b.count("h1"); n != 1 {
		b.t.Errorf("%s: %d h1 elements, want exactly one", name, n)
	}
	title := evalJS[string](b, `document.title`)
	if !strings.HasSuffix(title, " – Waymark") || strings.TrimSuffix(title, " – Waymark") == "" {
		b.t.Errorf("%s: title %q, want a page name followed by \" – Waymark\"", name, title)
	}
	if lang := evalJS[string](b, `document.documentElement.lang`); lang == "" {
		b.t.Errorf("%s: the page has no language", name)
	}
	b.axe(name)
	for _, p := range evalJS[[]string](b, focusCheckJS) {
		b.t.Errorf("%s (%s): %s", name, b.path(), p)
	}
}

// focusCheckJS focuses every control on the page in turn and lists those whose focus cannot be seen
// (WCAG 2.4.7) or whose focused text is too faint against its background (WCAG 1.4.3); axe-core
// checks only the page as it loads, with nothing focused.
const focusCheckJS = `(() => {
	const rgba = c => { const m = (c.match(/[\d.]+/g) || ['0', '0', '0', '0']).map(Number); return m.length > 3 ? m : [...m, 1]; };
	const lum = c => { const [r, g, b] = rgba(c).slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const background = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor; if (rgba(c)[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
	const look = el => {
		const t = el.matches('input[type=radio], input[type=checkbox]') ? [el.labels[0], '::before'] : [el, null];
		const s = getComputedStyle(...t);
		return [s.outlineStyle + s.outlineColor + s.outlineWidth, s.boxShadow, s.backgroundColor, s.color, s.textDecorationLine].join('|');
	};
	const problems = [];
	for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')) {
		if (!el.getClientRects().length) continue;
		const name = el.tagName.toLowerCase() + ' "' + (el.textContent.trim() || el.id || el.name).slice(0, 40) + '"';
		el.blur();
		const before = look(el);
		el.focus();
		if (document.activeElement !== el) { problems.push(name + ' cannot take focus'); continue; }
		if (look(el) === before) problems.push(name + ' looks the same focused and unfocused');
		if (el.matches('a, button')) {
			const fg = getComputedStyle(el).color, bg = background(el);
			const [x, y] = [lum(fg), lum(bg)].sort((p, q) => q - p);
			const ratio = (x + 0.05) / (y + 0.05);
			if (ratio < 4.5) problems.push(name + ' focused is ' + fg + ' on ' + bg + ', contrast ' + ratio.toFixed(2) + ':1');
		}
		el.blur();
	}
	return problems;
})()`

// axeViolations runs axe-core's WCAG 2.2 AA rules on the page.
func (b *browserTab) axeViolations() []axeViolation {
	b.t.Helper()
	src, _ := axeSource()
	if evalJS[bool](b, `typeof window.axe === 'undefined'`) {
		b.do("inject axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	return evalJS[[]axeViolation](b, axeRun, chromedp.EvalAwaitPromise)
}

// axe reports each WCAG 2.2 AA violation axe-core finds on the page.
func (b *browserTab) axe(name string) {
	b.t.Helper()
	for _, v := range b.axeViolations() {
		b.t.Errorf("%s (%s): axe %s [%s]: %s; at %s", name, b.path(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
	}
}

// expectedStatus reports whether a logged error is a page answering with an error status on
// purpose, such as a form coming back with its errors (422) or a refused request (403, 404). A
// script, style or image that fails to load is never expected.
func expectedStatus(e *cdplog.Entry) bool {
	u, err := url.Parse(e.URL)
	return err == nil && e.Source == cdplog.EntrySourceNetwork && strings.Contains(e.Text, "the server responded with a status of 4") &&
		!strings.HasPrefix(u.Path, "/static/") && !strings.HasPrefix(u.Path, "/assets/")
}
