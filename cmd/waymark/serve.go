package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"waymark"
	"waymark/guidance"
	"waymark/sqldb"
	"waymark/stats"
	"waymark/web"
)

// serveFlags are the web server's flags.
type serveFlags struct {
	dbFlags
	taskFlags
	mailFlags
	statsFlags
	addr           string
	baseURL        string
	trustedProxies string
}

func (s *serveFlags) register(fs interface {
	StringVar(*string, string, string, string)
	Var(flag.Value, string, string)
}, e env) {
	fs.StringVar(&s.addr, "addr", envOr(e, "WAYMARK_ADDR", "localhost:8080"), "address to listen on, HOST:PORT (env WAYMARK_ADDR)")
	fs.StringVar(&s.baseURL, "base-url", e.getenv("WAYMARK_BASE_URL"), "address people use to reach Waymark, for links in invitations; default http://ADDR (env WAYMARK_BASE_URL)")
	s.taskFlags.register(fs, e)
	s.mailFlags.register(fs, e)
	s.statsFlags.register(fs, e)
	fs.StringVar(&s.trustedProxies, "trusted-proxies", e.getenv("WAYMARK_TRUSTED_PROXIES"), "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed (env WAYMARK_TRUSTED_PROXIES)")
}

// statsFlags are the rule that protects the regional statistics.
type statsFlags struct {
	threshold, roundTo string
}

func (s *statsFlags) register(fs interface {
	StringVar(*string, string, string, string)
}, e env) {
	fs.StringVar(&s.threshold, "statistics-threshold", envOr(e, "WAYMARK_STATISTICS_THRESHOLD", strconv.Itoa(stats.DefaultRule.Threshold)),
		"the smallest count the regional statistics show, from 2 to 100: counts from 1 to one less are shown as \"fewer than\" it (env WAYMARK_STATISTICS_THRESHOLD)")
	fs.StringVar(&s.roundTo, "statistics-round-to", envOr(e, "WAYMARK_STATISTICS_ROUND_TO", strconv.Itoa(stats.DefaultRule.RoundTo)),
		"round every count the regional statistics show to a multiple of this, up to 100; 0 for none (env WAYMARK_STATISTICS_ROUND_TO)")
}

// rule reads the statistics flags into a rule, checked as the statistics check it.
func (s *statsFlags) rule() (stats.Rule, error) {
	var r stats.Rule
	for _, f := range []struct {
		name, value string
		to          *int
	}{{"--statistics-threshold", s.threshold, &r.Threshold}, {"--statistics-round-to", s.roundTo, &r.RoundTo}} {
		n, err := strconv.Atoi(strings.TrimSpace(f.value))
		if err != nil {
			return r, fmt.Errorf("%s: %q is not a whole number", f.name, f.value)
		}
		*f.to = n
	}
	if err := r.Validate(); err != nil {
		fields := waymark.ErrorFields(err)
		if msg, ok := fields["threshold"]; ok {
			return r, fmt.Errorf("--statistics-threshold %d: %s", r.Threshold, msg)
		}
		return r, fmt.Errorf("--statistics-round-to %d: %s", r.RoundTo, fields["round_to"])
	}
	return r, nil
}

// parseProxies reads --trusted-proxies: addresses or CIDR ranges, separated by commas.
func parseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %q is not an address or a CIDR range such as 10.0.0.0/8", item)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet("serve", "run the web server", e)
	var f serveFlags
	f.dbFlags.register(fs, e)
	f.register(fs, e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if _, err := parseProxies(f.trustedProxies); err != nil {
		return err
	}
	if _, err := f.settings(); err != nil {
		return err
	}
	if _, err := f.rule(); err != nil {
		return err
	}
	if _, err := f.sender(f.baseURL); err != nil {
		return err
	}
	db, log, err := f.connect(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	return serve(ctx, e, db, f, log, nil)
}

// newServer wires the stores into the web layer, with the settings in cfg and this build's version.
func newServer(db *sqldb.DB, cfg web.Config) (*web.Server, error) {
	cfg.Version = version
	return web.New(web.Services{
		Auth:          sqldb.NewAuthService(db),
		Users:         sqldb.NewUserService(db),
		Organisations: sqldb.NewOrganisationService(db),
		Tokens:        sqldb.NewTokenService(db),
		Audit:         sqldb.NewAuditService(db),
		Clients:       sqldb.NewClientService(db),
		Screenings:    sqldb.NewScreeningService(db),
		Notes:         sqldb.NewNoteService(db),
		Support:       sqldb.NewSupportService(db),
		Homelessness:  sqldb.NewHomelessnessService(db),
		Exploitation:  sqldb.NewExploitationService(db),
		Journeys:      sqldb.NewJourneyService(db),
		Tasks:         sqldb.NewTaskService(db),
		Directory:     sqldb.NewDirectoryService(db),
		Referrals:     sqldb.NewReferralService(db),
		MoveOn:        sqldb.NewMoveOnService(db),
		Notifications: sqldb.NewNotificationService(db),
		Agreements:    sqldb.NewAgreementService(db),
		Consents:      sqldb.NewConsentService(db),
		Shares:        sqldb.NewShareService(db),
		Guidance:      sqldb.NewGuidanceService(db),
		Conferences:   sqldb.NewConferenceService(db),
		Training:      sqldb.NewTrainingService(db),
		Assessments:   sqldb.NewSelfAssessmentService(db),
		Statistics:    sqldb.NewStatisticsService(db),
		Awareness:     sqldb.NewAwarenessService(db),
		Ping:          db.Ping,
	}, cfg)
}

// serve listens and serves until ctx is cancelled, then lets in-flight requests finish.
// banner, if given, is printed once the server is listening.
func serve(ctx context.Context, e env, db *sqldb.DB, f serveFlags, log *slog.Logger, banner func(url string)) error {
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("cannot listen on %s: the port is already in use; stop the other program or choose another address with --addr", f.addr)
		}
		return fmt.Errorf("cannot listen on %s: %v; choose another address with --addr HOST:PORT", f.addr, err)
	}
	url := "http://" + displayAddr(f.addr, ln.Addr().String())
	// Every region starts with the guidance on indicators and pathways; a page already there,
	// perhaps changed by the region, is left as it is.
	if err := sqldb.NewGuidanceService(db).SeedGuides(ctx, guidance.Defaults()); err != nil {
		ln.Close()
		return fmt.Errorf("cannot add the starting guidance: %v", err)
	}
	sender, err := f.sender(f.baseURL)
	if err != nil {
		ln.Close()
		return err
	}
	if f.baseURL == "" {
		f.baseURL = url
	}
	proxies, err := parseProxies(f.trustedProxies)
	if err != nil {
		ln.Close()
		return err
	}
	rule, err := f.rule()
	if err != nil {
		ln.Close()
		return err
	}
	rule.Key = f.statisticsKey
	srv, err := newServer(db, web.Config{BaseURL: f.baseURL, Logger: log, TrustedProxies: proxies, StatisticsRule: rule})
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	settings, err := f.settings()
	if err != nil {
		ln.Close()
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		runJobs(jobsCtx, db, backgroundJobs(db, settings, sender, f.baseURL, log), log)
	}()
	// The jobs stop before the database closes; a run cut short is run again when next due.
	defer func() {
		stopJobs()
		<-jobsDone
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("serving", "url", url, "database", db.Engine())
	fmt.Fprintf(e.stdout, "Waymark is running at %s\n", url)
	if banner != nil {
		banner(url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// displayAddr turns a listening address into one a browser can open, keeping a host name the
// operator gave (localhost) rather than the address it resolved to.
func displayAddr(asked, listening string) string {
	host, port, err := net.SplitHostPort(listening)
	if err != nil {
		return listening
	}
	if h, _, err := net.SplitHostPort(asked); err == nil && h != "" && net.ParseIP(h) == nil {
		host = h
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return host + ":" + port
}
