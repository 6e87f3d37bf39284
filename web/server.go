// Package web serves Waymark to people (HTML pages) and programs (JSON under /api/v1), from the same
// service calls. Every route is registered in routes(); the middleware chain is written out in Handler.
package web

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"waymark"
	"waymark/stats"
)

//go:embed static
var staticFS embed.FS

// Services are the domain services the handlers call.
type Services struct {
	Auth          waymark.AuthService
	Users         waymark.UserService
	Organisations waymark.OrganisationService
	Tokens        waymark.TokenService
	Audit         waymark.AuditService
	Clients       waymark.ClientService
	Screenings    waymark.ScreeningService
	Notes         waymark.NoteService
	Support       waymark.SupportService
	Homelessness  waymark.HomelessnessService
	Exploitation  waymark.ExploitationService
	Journeys      waymark.JourneyService
	Tasks         waymark.TaskService
	Directory     waymark.DirectoryServiceStore
	Referrals     waymark.ReferralService
	MoveOn        waymark.MoveOnService
	Notifications waymark.NotificationService
	Agreements    waymark.AgreementService
	Consents      waymark.ConsentService
	Shares        waymark.ShareService
	Guidance      waymark.GuidanceService
	Conferences   waymark.ConferenceService
	Training      waymark.TrainingService
	Awareness     waymark.AwarenessService
	// Assessments keeps self-assessments, action plans and the regional comparison.
	Assessments waymark.SelfAssessmentService
	// Statistics reads the facts behind the regional statistics.
	Statistics waymark.StatisticsService
	// Ping checks the database for the readiness probe.
	Ping func(ctx context.Context) error
}

// Config holds the web layer's settings.
type Config struct {
	// BaseURL is the address people use to reach Waymark, for links in invitations.
	BaseURL string
	// Logger receives request and error logs; it never receives personal data.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Version is shown in the footer.
	Version string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header is believed.
	TrustedProxies []netip.Prefix
	// StatisticsRule protects the regional statistics; the zero rule is stats.DefaultRule.
	StatisticsRule stats.Rule
}

// Server is the HTTP interface to Waymark.
type Server struct {
	svc    Services
	cfg    Config
	log    *slog.Logger
	tmpl   *templates
	mux    *http.ServeMux
	routes []Route
}

// Route is one registered pattern, kept so that tests can walk every route and check the API's
// OpenAPI document against what is served.
type Route struct {
	Method string
	Path   string
}

// Routes lists every registered route.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// New makes a server, parsing every template once.
func New(svc Services, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.StatisticsRule == (stats.Rule{}) {
		cfg.StatisticsRule = stats.DefaultRule
	}
	if err := cfg.StatisticsRule.Validate(); err != nil {
		return nil, fmt.Errorf("statistics rule: %w", err)
	}
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, cfg: cfg, log: cfg.Logger, tmpl: t, mux: http.NewServeMux()}
	s.registerRoutes()
	return s, nil
}

// handle registers a route and remembers it.
func (s *Server) handle(pattern string, h http.Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		// A pattern without a method answers every method: the catch-alls for unknown paths.
		method, path = "", pattern
	}
	s.routes = append(s.routes, Route{Method: method, Path: path})
	s.mux.Handle(pattern, h)
}

// registerRoutes is every route of the application in one place.
func (s *Server) registerRoutes() {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(static)
	s.handle("GET /static/", cacheStatic(http.StripPrefix("/static/", files)))
	// govuk-frontend's stylesheet refers to its images under /assets/.
	s.handle("GET /assets/", cacheStatic(http.StripPrefix("/assets/", http.FileServerFS(mustSub(static, "vendor/assets")))))
	s.handle("GET /healthz", http.HandlerFunc(s.handleHealth))
	s.handle("GET /readyz", http.HandlerFunc(s.handleReady))

	// Pages anyone may reach.
	s.handle("GET /{$}", s.page(s.handleRoot))
	s.handle("GET /sign-in", s.page(s.handleSignInForm))
	s.handle("POST /sign-in", s.page(s.handleSignIn))
	s.handle("GET /set-password/{token}", s.page(s.handleSetPasswordForm))
	s.handle("POST /set-password/{token}", s.page(s.handleSetPassword))
	s.handle("POST /sign-out", s.page(s.handleSignOut))

	// The second step of sign-in, reachable with a session that has only passed the first.
	s.handle("GET /sign-in/two-step", s.page(s.handleTwoStepForm))
	s.handle("POST /sign-in/two-step", s.page(s.handleTwoStep))
	s.handle("GET /account/two-step", s.page(s.signedIn(s.handleTwoStepSetupForm, stageSetup)))
	s.handle("POST /account/two-step", s.page(s.signedIn(s.handleTwoStepSetup, stageSetup)))

	// Signed-in pages.
	s.handle("GET /home", s.page(s.signedIn(s.handleHome)))
	s.handle("GET /account", s.page(s.signedIn(s.handleAccount)))
	s.handle("POST /account/password", s.page(s.signedIn(s.handleChangePassword)))
	s.handle("GET /account/tokens", s.page(s.signedIn(s.require(waymark.PermManageOwnTokens, s.handleTokenIndex))))
	s.handle("POST /account/tokens", s.page(s.signedIn(s.require(waymark.PermManageOwnTokens, s.handleTokenCreate))))
	s.handle("POST /account/tokens/{id}/revoke", s.page(s.signedIn(s.require(waymark.PermManageOwnTokens, s.handleTokenRevoke))))

	s.handle("GET /organisations", s.page(s.signedIn(s.require(waymark.PermManageOrganisations, s.handleOrganisationIndex))))
	s.handle("GET /organisations/new", s.page(s.signedIn(s.require(waymark.PermManageOrganisations, s.handleOrganisationNew))))
	s.handle("POST /organisations", s.page(s.signedIn(s.require(waymark.PermManageOrganisations, s.handleOrganisationCreate))))
	s.handle("GET /organisations/{id}", s.page(s.signedIn(s.require(waymark.PermManageOrganisations, s.handleOrganisationView))))
	s.handle("POST /organisations/{id}", s.page(s.signedIn(s.require(waymark.PermManageOrganisations, s.handleOrganisationUpdate))))

	s.handle("GET /users", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserIndex))))
	s.handle("GET /users/new", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserNew))))
	s.handle("POST /users", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserCreate))))
	s.handle("GET /users/{id}", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserView))))
	s.handle("POST /users/{id}", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserUpdate))))
	s.handle("POST /users/{id}/invitation", s.page(s.signedIn(s.require(waymark.PermManageOrgUsers, s.handleUserReinvite))))

	s.handle("GET /audit", s.page(s.signedIn(s.requireAny([]waymark.Permission{waymark.PermViewOrgAudit, waymark.PermViewAllAudit}, s.handleAuditIndex))))

	s.handle("GET /clients", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleClientIndex))))
	s.handle("POST /clients/search", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleClientSearch))))
	s.handle("GET /clients/new", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleClientNew))))
	s.handle("POST /clients", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleClientCreate))))
	s.handle("GET /clients/{id}", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleClientView))))
	s.handle("GET /clients/{id}/edit", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleClientEdit))))
	s.handle("POST /clients/{id}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleClientUpdate))))
	s.handle("POST /clients/{id}/concern", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleConcernUpdate))))
	s.handle("GET /clients/{id}/screening", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleScreeningForm))))
	s.handle("POST /clients/{id}/screening", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleScreeningCreate))))
	s.handle("GET /clients/{id}/support", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleSupportIndex))))
	s.handle("POST /clients/{id}/support", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleSupportAdd))))
	s.handle("GET /clients/{id}/support/{support}/edit", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleSupportEdit))))
	s.handle("POST /clients/{id}/support/{support}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleSupportUpdate))))
	s.handle("POST /clients/{id}/homelessness", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleHousingAdd))))
	s.handle("POST /clients/{id}/notes", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleNoteAdd))))
	s.handle("GET /clients/{id}/exploitation", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleExploitation))))
	s.handle("POST /clients/{id}/exploitation", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleEpisodeAdd))))
	s.handle("GET /clients/{id}/exploitation/{episode}/edit", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleEpisodeEdit))))
	s.handle("POST /clients/{id}/exploitation/{episode}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleEpisodeUpdate))))
	s.handle("POST /clients/{id}/risk", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleRiskAssess))))
	s.handle("GET /tasks", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleMyTasks))))
	s.handle("GET /tasks/organisation", s.page(s.signedIn(s.require(waymark.PermViewOrgTasks, s.handleOrganisationTasks))))
	s.handle("GET /clients/{id}/pathway", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handlePathway))))
	s.handle("POST /clients/{id}/pathway", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handlePathwayAnswers))))
	s.handle("POST /clients/{id}/pathway/steps", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleStepRecord))))
	s.handle("POST /clients/{id}/pathway/consent", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleConsent))))
	s.handle("GET /clients/{id}/nrm", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleNRM))))
	s.handle("GET /clients/{id}/nrm/pack", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleNRMPack))))
	s.handle("POST /clients/{id}/nrm/referral", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleReferralRecord))))
	s.handle("POST /clients/{id}/nrm/decisions", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleDecisionRecord))))
	s.handle("POST /clients/{id}/nrm/milestones", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleMilestoneRecord))))
	s.handle("GET /clients/{id}/duty-to-notify", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleDutyToNotify))))
	s.handle("POST /clients/{id}/duty-to-notify", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleDutyToNotifyRecord))))
	// Life after support: the move-on plan, the follow-ups after support ended, the cliff edge and
	// the outcomes.
	s.handle("GET /clients/{id}/move-on", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleMoveOn))))
	// Consent to the use and sharing of a client's record.
	s.handle("GET /clients/{id}/sharing", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleSharingConsent))))
	s.handle("POST /clients/{id}/shares", s.page(s.signedIn(s.require(waymark.PermShareCases, s.handleShareCreate))))
	s.handle("POST /clients/{id}/shares/{share}/revoke", s.page(s.signedIn(s.require(waymark.PermShareCases, s.handleShareRevoke))))
	s.handle("GET /shared", s.page(s.signedIn(s.require(waymark.PermViewSharedClients, s.handleSharedList))))
	s.handle("GET /shared/{share}", s.page(s.signedIn(s.require(waymark.PermViewSharedClients, s.handleSharedRecord))))
	s.handle("POST /shared/{share}/notes", s.page(s.signedIn(s.require(waymark.PermViewSharedClients, s.handleContributionAdd(waymark.ContributionNote)))))
	s.handle("POST /shared/{share}/support", s.page(s.signedIn(s.require(waymark.PermViewSharedClients, s.handleContributionAdd(waymark.ContributionSupport)))))
	s.handle("GET /consent-overrides", s.page(s.signedIn(s.require(waymark.PermViewOrgTasks, s.handleConsentOverrides))))
	s.handle("POST /clients/{id}/sharing", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleSharingConsentRecord))))
	s.handle("GET /clients/{id}/move-on/plan", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handlePlanForm))))
	s.handle("POST /clients/{id}/move-on/plan", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handlePlanSave))))
	s.handle("GET /clients/{id}/move-on/follow-ups/{months}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleFollowUpForm))))
	s.handle("POST /clients/{id}/move-on/follow-ups/{months}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleFollowUpRecord))))
	s.handle("GET /cliff-edge", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleMyCliffEdge))))
	s.handle("GET /cliff-edge/organisation", s.page(s.signedIn(s.require(waymark.PermViewOrgTasks, s.handleOrganisationCliffEdge))))
	s.handle("GET /outcomes", s.page(s.signedIn(s.require(waymark.PermViewOrgOutcomes, s.handleOutcomes))))
	s.handle("GET /organisation/follow-ups", s.page(s.signedIn(s.require(waymark.PermManageFollowUps, s.handleScheduleForm))))
	s.handle("POST /organisation/follow-ups", s.page(s.signedIn(s.require(waymark.PermManageFollowUps, s.handleScheduleSave))))
	// Notifications of new tasks go only to staff who see clients.
	s.handle("GET /notifications", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleNotifications))))
	s.handle("POST /notifications/read", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleNotificationsRead))))
	s.handle("POST /notifications/email", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleEmailNotices))))
	s.handle("GET /clients/{id}/notes/{note}/edit", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleNoteEdit))))
	s.handle("POST /clients/{id}/notes/{note}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleNoteUpdate))))
	// Referrals between organisations: the sender's on the client, the recipient's queue, and one
	// referral as either party sees it (the store finds it for those two organisations only).
	s.handle("GET /clients/{id}/referrals", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleClientReferrals))))
	s.handle("POST /clients/{id}/referrals", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleReferralSend))))
	s.handle("GET /referrals", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleInbound))))
	s.handle("GET /referrals/{referral}", s.page(s.signedIn(s.require(waymark.PermViewClients, s.handleReferralView))))
	s.handle("POST /referrals/{referral}", s.page(s.signedIn(s.require(waymark.PermEditClients, s.handleReferralAction))))

	// The referral routes directory: any signed-in user searches and reads it; the keeping
	// organisation's managers and admins change its entries.
	s.handle("GET /directory", s.page(s.signedIn(s.handleDirectoryIndex)))
	s.handle("GET /directory/export", s.page(s.signedIn(s.handleDirectoryExport)))
	s.handle("GET /directory/new", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryNew))))
	s.handle("POST /directory", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryCreate))))
	s.handle("GET /directory/import", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryImportForm))))
	s.handle("POST /directory/import", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryImport))))
	s.handle("GET /directory/{service}", s.page(s.signedIn(s.handleDirectoryView)))
	s.handle("GET /directory/{service}/edit", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryEdit))))
	s.handle("POST /directory/{service}", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryUpdate))))
	s.handle("POST /directory/{service}/capacity", s.page(s.signedIn(s.require(waymark.PermManageDirectory, s.handleDirectoryCapacity))))

	// Data sharing agreements between organisations: the parties' admins, managers and safeguarding
	// leads read them; the admins of the organisation that recorded one change it (the store checks
	// the organisation, and finds nothing for one that is not a party).
	s.handle("GET /agreements", s.page(s.signedIn(s.require(waymark.PermViewAgreements, s.handleAgreementIndex))))
	s.handle("GET /agreements/new", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.handleAgreementNew))))
	s.handle("POST /agreements", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.handleAgreementCreate))))
	s.handle("GET /agreements/{agreement}", s.page(s.signedIn(s.require(waymark.PermViewAgreements, s.handleAgreementView))))
	s.handle("GET /agreements/{agreement}/edit", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.handleAgreementEdit))))
	s.handle("POST /agreements/{agreement}", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.handleAgreementUpdate))))
	s.handle("POST /agreements/{agreement}/confirm", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.agreementConfirmation(false)))))
	s.handle("POST /agreements/{agreement}/withdraw", s.page(s.signedIn(s.require(waymark.PermManageAgreements, s.agreementConfirmation(true)))))
	// The resource library: every signed-in user reads the region's guidance and their own
	// organisation's; the handlers and the store check who may write which.
	s.handle("GET /guidance", s.page(s.signedIn(s.handleGuideIndex)))
	s.handle("GET /guidance/new", s.page(s.signedIn(s.handleGuideNew)))
	s.handle("POST /guidance", s.page(s.signedIn(s.handleGuideSave)))
	s.handle("GET /guidance/{slug}", s.page(s.signedIn(s.handleGuideResolve)))
	s.handle("GET /guidance/{scope}/{slug}", s.page(s.signedIn(s.handleGuideView)))
	s.handle("POST /guidance/{scope}/{slug}", s.page(s.signedIn(s.handleGuideSave)))
	s.handle("GET /guidance/{scope}/{slug}/edit", s.page(s.signedIn(s.handleGuideEdit)))
	s.handle("GET /guidance/{scope}/{slug}/versions", s.page(s.signedIn(s.handleGuideVersions)))
	s.handle("GET /guidance/{scope}/{slug}/versions/{version}", s.page(s.signedIn(s.handleGuideVersions)))

	// Case conferences: staff of the attending organisations read them (the store finds nothing
	// for anyone else); the chair's staff change them; a safeguarding lead puts a case of their
	// organisation on the agenda from the client's sharing page; a case's minutes and actions are
	// read and written only by organisations that may see the case, checked by the store each time.
	s.handle("GET /conferences", s.page(s.signedIn(s.require(waymark.PermViewConferences, s.handleConferenceIndex))))
	s.handle("GET /conferences/new", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleConferenceNew))))
	s.handle("POST /conferences", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleConferenceCreate))))
	s.handle("GET /conferences/{conference}", s.page(s.signedIn(s.require(waymark.PermViewConferences, s.handleConferenceView))))
	s.handle("GET /conferences/{conference}/edit", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleConferenceEdit))))
	s.handle("POST /conferences/{conference}", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleConferenceUpdate))))
	s.handle("POST /conferences/{conference}/actions", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleActionCreate))))
	s.handle("POST /conferences/{conference}/actions/{action}/status", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleActionStatus))))
	s.handle("GET /conferences/{conference}/cases/{client}", s.page(s.signedIn(s.require(waymark.PermViewConferences, s.handleConferenceCase))))
	s.handle("POST /conferences/{conference}/cases/{client}/minutes", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleMinutesSave))))
	s.handle("POST /conferences/{conference}/cases/{client}/actions", s.page(s.signedIn(s.require(waymark.PermManageConferences, s.handleActionCreate))))
	s.handle("POST /conferences/{conference}/cases/{client}/remove", s.page(s.signedIn(s.require(waymark.PermShareCases, s.handleCaseRemove))))
	s.handle("POST /clients/{id}/conferences", s.page(s.signedIn(s.require(waymark.PermShareCases, s.handleClientConferenceAdd))))

	// Training records and awareness activities: the organisation's frontline staff read them;
	// its managers and admins change them (the store checks the organisation of every record).
	s.handle("GET /training", s.page(s.signedIn(s.require(waymark.PermViewTraining, s.handleTraining))))
	s.handle("GET /training/courses", s.page(s.signedIn(s.require(waymark.PermViewTraining, s.handleCourses))))
	s.handle("POST /training/courses", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleCourseCreate))))
	s.handle("GET /training/courses/{course}/edit", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleCourseEdit))))
	s.handle("POST /training/courses/{course}", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleCourseUpdate))))
	s.handle("GET /training/volunteers", s.page(s.signedIn(s.require(waymark.PermViewTraining, s.handleVolunteers))))
	s.handle("POST /training/volunteers", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleVolunteerAdd))))
	s.handle("POST /training/volunteers/{volunteer}/end", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleVolunteerEnd))))
	s.handle("GET /training/completions/new", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleCompletionNew))))
	s.handle("POST /training/completions", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleCompletionCreate))))
	s.handle("GET /training/import", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleTrainingImportForm))))
	s.handle("POST /training/import", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleTrainingImport))))
	s.handle("GET /awareness", s.page(s.signedIn(s.require(waymark.PermViewTraining, s.handleAwareness))))
	s.handle("GET /awareness/new", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleAwarenessNew))))
	s.handle("POST /awareness", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleAwarenessCreate))))
	s.handle("GET /awareness/{activity}/edit", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleAwarenessEdit))))
	s.handle("POST /awareness/{activity}", s.page(s.signedIn(s.require(waymark.PermManageTraining, s.handleAwarenessUpdate))))

	// Self-assessment: the organisation's staff read it; managers answer it and keep the action
	// plan; the regional comparison is for those who see regional statistics.
	s.handle("GET /self-assessment", s.page(s.signedIn(s.require(waymark.PermViewAssessment, s.handleAssessmentIndex))))
	s.handle("POST /self-assessment/new", s.page(s.signedIn(s.require(waymark.PermManageAssessment, s.handleAssessmentStart))))
	s.handle("GET /self-assessment/region", s.page(s.signedIn(s.require(waymark.PermViewRegionalStats, s.handleAssessmentRegion))))
	s.handle("GET /self-assessment/{assessment}", s.page(s.signedIn(s.require(waymark.PermViewAssessment, s.handleAssessmentView))))
	s.handle("POST /self-assessment/{assessment}", s.page(s.signedIn(s.require(waymark.PermManageAssessment, s.handleAssessmentSave))))
	s.handle("GET /self-assessment/{assessment}/report", s.page(s.signedIn(s.require(waymark.PermViewAssessment, s.handleAssessmentReport))))
	s.handle("POST /self-assessment/actions", s.page(s.signedIn(s.require(waymark.PermManageAssessment, s.handleActionAdd))))
	s.handle("GET /self-assessment/actions/{action}/edit", s.page(s.signedIn(s.require(waymark.PermManageAssessment, s.handleActionEdit))))
	s.handle("POST /self-assessment/actions/{action}", s.page(s.signedIn(s.require(waymark.PermManageAssessment, s.handleActionUpdate))))

	// Regional statistics: fixed periods only (a financial year and its quarters), every figure
	// protected; for those who see regional statistics (analysts and managers).
	s.handle("GET /statistics", s.page(s.signedIn(s.require(waymark.PermViewRegionalStats, s.handleStatistics))))
	s.handle("GET /statistics/return", s.page(s.signedIn(s.require(waymark.PermViewRegionalStats, s.handleStatisticsReturn))))
	s.handle("GET /statistics/return.csv", s.page(s.signedIn(s.require(waymark.PermViewRegionalStats, s.handleStatisticsDownload("csv")))))
	s.handle("GET /statistics/return.xlsx", s.page(s.signedIn(s.require(waymark.PermViewRegionalStats, s.handleStatisticsDownload("xlsx")))))

	// The JSON API, for programs holding a bearer token.
	s.handle("GET /api/v1/openapi.json", http.HandlerFunc(s.handleOpenAPI))
	s.handle("GET /api/v1/me", s.api(s.apiMe))
	s.handle("GET /api/v1/organisations", s.api(s.apiOrganisationIndex))
	s.handle("POST /api/v1/organisations", s.api(s.apiOrganisationCreate))
	s.handle("GET /api/v1/organisations/{id}", s.api(s.apiOrganisationView))
	s.handle("GET /api/v1/organisations/{id}/users", s.api(s.apiUserIndex))
	s.handle("GET /api/v1/users/{id}", s.api(s.apiUserView))
	s.handle("GET /api/v1/tokens", s.api(s.apiTokenIndex))
	s.handle("DELETE /api/v1/tokens/{id}", s.api(s.apiTokenRevoke))
	s.handle("GET /api/v1/audit", s.api(s.apiAuditIndex))
	s.handle("GET /api/v1/clients", s.api(s.apiClientIndex))
	s.handle("POST /api/v1/clients", s.api(s.apiClientCreate))
	s.handle("POST /api/v1/clients/search", s.api(s.apiClientSearch))
	s.handle("POST /api/v1/clients/matches", s.api(s.apiClientMatches))
	s.handle("GET /api/v1/clients/{id}", s.api(s.apiClientView))
	s.handle("PUT /api/v1/clients/{id}", s.api(s.apiClientUpdate))
	s.handle("POST /api/v1/clients/{id}/concern", s.api(s.apiConcernSet))
	s.handle("GET /api/v1/clients/{id}/concern", s.api(s.apiConcernHistory))
	s.handle("GET /api/v1/question-sets", s.api(s.apiQuestionSetIndex))
	s.handle("GET /api/v1/clients/{id}/screenings", s.api(s.apiScreeningIndex))
	s.handle("POST /api/v1/clients/{id}/screenings", s.api(s.apiScreeningCreate))
	s.handle("GET /api/v1/clients/{id}/support", s.api(s.apiSupportIndex))
	s.handle("POST /api/v1/clients/{id}/support", s.api(s.apiSupportCreate))
	s.handle("PUT /api/v1/clients/{id}/support/{support}", s.api(s.apiSupportUpdate))
	s.handle("GET /api/v1/clients/{id}/homelessness", s.api(s.apiHousingIndex))
	s.handle("POST /api/v1/clients/{id}/homelessness", s.api(s.apiHousingCreate))
	s.handle("GET /api/v1/clients/{id}/notes", s.api(s.apiNoteIndex))
	s.handle("GET /api/v1/clients/{id}/exploitation", s.api(s.apiEpisodeIndex))
	s.handle("POST /api/v1/clients/{id}/exploitation", s.api(s.apiEpisodeCreate))
	s.handle("PUT /api/v1/clients/{id}/exploitation/{episode}", s.api(s.apiEpisodeUpdate))
	s.handle("GET /api/v1/clients/{id}/risk", s.api(s.apiRiskIndex))
	s.handle("POST /api/v1/clients/{id}/risk", s.api(s.apiRiskCreate))
	s.handle("POST /api/v1/clients/{id}/notes", s.api(s.apiNoteCreate))
	s.handle("PUT /api/v1/clients/{id}/notes/{note}", s.api(s.apiNoteUpdate))
	s.handle("GET /api/v1/clients/{id}/journey", s.api(s.apiJourney))
	s.handle("GET /api/v1/tasks", s.api(s.apiMyTasks))
	s.handle("GET /api/v1/organisation/tasks", s.api(s.apiOrganisationTasks))
	s.handle("PUT /api/v1/clients/{id}/pathway", s.api(s.apiPathwayAnswers))
	s.handle("POST /api/v1/clients/{id}/consents", s.api(s.apiConsentCreate))
	s.handle("POST /api/v1/clients/{id}/pathway-steps", s.api(s.apiStepCreate))
	s.handle("POST /api/v1/clients/{id}/nrm-referrals", s.api(s.apiReferralCreate))
	s.handle("POST /api/v1/clients/{id}/nrm-decisions", s.api(s.apiDecisionCreate))
	s.handle("POST /api/v1/clients/{id}/nrm-milestones", s.api(s.apiMilestoneCreate))
	s.handle("POST /api/v1/clients/{id}/duty-to-notify", s.api(s.apiDutyToNotifyCreate))
	s.handle("GET /api/v1/clients/{id}/move-on", s.api(s.apiMoveOn))
	s.handle("GET /api/v1/clients/{id}/sharing-consents", s.api(s.apiClientConsents))
	s.handle("GET /api/v1/organisation/consent-overrides", s.api(s.apiConsentOverrides))
	s.handle("GET /api/v1/clients/{id}/shares", s.api(s.apiClientShares))
	s.handle("POST /api/v1/clients/{id}/shares", s.api(s.apiShareCreate))
	s.handle("POST /api/v1/clients/{id}/shares/{share}/revoke", s.api(s.apiShareRevoke))
	s.handle("GET /api/v1/shared", s.api(s.apiSharedList))
	s.handle("GET /api/v1/shared/{share}", s.api(s.apiSharedRecord))
	s.handle("POST /api/v1/shared/{share}/contributions", s.api(s.apiContributionAdd))
	s.handle("GET /api/v1/clients/{id}/contributions", s.api(s.apiClientContributions))
	s.handle("POST /api/v1/clients/{id}/sharing-consents", s.api(s.apiClientConsentRecord))
	s.handle("PUT /api/v1/clients/{id}/move-on/plan", s.api(s.apiPlanSave))
	s.handle("PUT /api/v1/clients/{id}/move-on/follow-ups/{months}", s.api(s.apiFollowUpRecord))
	s.handle("GET /api/v1/cliff-edge", s.api(s.apiCliffEdge))
	s.handle("GET /api/v1/outcomes", s.api(s.apiOutcomes))
	s.handle("GET /api/v1/organisation/follow-ups", s.api(s.apiSchedule))
	s.handle("PUT /api/v1/organisation/follow-ups", s.api(s.apiScheduleSet))
	s.handle("GET /api/v1/notifications", s.api(s.apiNotifications))
	s.handle("POST /api/v1/notifications/read", s.api(s.apiNotificationsRead))
	s.handle("GET /api/v1/notifications/settings", s.api(s.apiNotificationSettings))
	s.handle("PUT /api/v1/notifications/settings", s.api(s.apiNotificationSettingsSet))
	s.handle("GET /api/v1/clients/{id}/referrals", s.api(s.apiClientReferrals))
	s.handle("POST /api/v1/clients/{id}/referrals", s.api(s.apiReferralSend))
	s.handle("GET /api/v1/referrals", s.api(s.apiInbound))
	s.handle("GET /api/v1/referrals/{referral}", s.api(s.apiReferralView))
	s.handle("POST /api/v1/referrals/{referral}/accept", s.api(s.apiReferralAct(waymark.ReferralAccept)))
	s.handle("POST /api/v1/referrals/{referral}/decline", s.api(s.apiReferralAct(waymark.ReferralDecline)))
	s.handle("POST /api/v1/referrals/{referral}/complete", s.api(s.apiReferralAct(waymark.ReferralComplete)))
	s.handle("POST /api/v1/referrals/{referral}/withdraw", s.api(s.apiReferralAct(waymark.ReferralWithdraw)))
	s.handle("GET /api/v1/directory", s.api(s.apiDirectoryIndex))
	s.handle("POST /api/v1/directory", s.api(s.apiDirectoryCreate))
	s.handle("POST /api/v1/directory/import", s.api(s.apiDirectoryImport))
	s.handle("GET /api/v1/directory/export", s.api(s.apiDirectoryExport))
	s.handle("GET /api/v1/directory/{service}", s.api(s.apiDirectoryView))
	s.handle("PUT /api/v1/directory/{service}", s.api(s.apiDirectoryUpdate))
	s.handle("GET /api/v1/agreements", s.api(s.apiAgreementIndex))
	s.handle("POST /api/v1/agreements", s.api(s.apiAgreementCreate))
	s.handle("GET /api/v1/agreements/{agreement}", s.api(s.apiAgreementView))
	s.handle("PUT /api/v1/agreements/{agreement}", s.api(s.apiAgreementUpdate))
	s.handle("POST /api/v1/agreements/{agreement}/confirm", s.api(s.apiAgreementConfirmation(false)))
	s.handle("POST /api/v1/agreements/{agreement}/withdraw", s.api(s.apiAgreementConfirmation(true)))
	s.handle("GET /api/v1/guidance", s.api(s.apiGuideIndex))
	s.handle("GET /api/v1/guidance/{scope}/{slug}", s.api(s.apiGuideView))
	s.handle("PUT /api/v1/guidance/{scope}/{slug}", s.api(s.apiGuideSave))
	s.handle("GET /api/v1/guidance/{scope}/{slug}/versions", s.api(s.apiGuideVersions))
	s.handle("GET /api/v1/conferences", s.api(s.apiConferenceIndex))
	s.handle("POST /api/v1/conferences", s.api(s.apiConferenceCreate))
	s.handle("GET /api/v1/conferences/{conference}", s.api(s.apiConferenceView))
	s.handle("PUT /api/v1/conferences/{conference}", s.api(s.apiConferenceUpdate))
	s.handle("POST /api/v1/conferences/{conference}/actions", s.api(s.apiConferenceActionCreate))
	s.handle("POST /api/v1/conferences/{conference}/actions/{action}/status", s.api(s.apiActionStatus))
	s.handle("GET /api/v1/conferences/{conference}/cases/{client}", s.api(s.apiConferenceCase))
	s.handle("DELETE /api/v1/conferences/{conference}/cases/{client}", s.api(s.apiConferenceCaseRemove))
	s.handle("PUT /api/v1/conferences/{conference}/cases/{client}/minutes", s.api(s.apiMinutesSave))
	s.handle("GET /api/v1/clients/{id}/conferences", s.api(s.apiClientConferences))
	s.handle("POST /api/v1/clients/{id}/conferences", s.api(s.apiClientConferenceAdd))
	s.handle("GET /api/v1/training", s.api(s.apiTraining))
	s.handle("GET /api/v1/training/courses", s.api(s.apiCourseIndex))
	s.handle("POST /api/v1/training/courses", s.api(s.apiCourseCreate))
	s.handle("GET /api/v1/training/courses/{course}", s.api(s.apiCourseView))
	s.handle("PUT /api/v1/training/courses/{course}", s.api(s.apiCourseUpdate))
	s.handle("GET /api/v1/training/volunteers", s.api(s.apiVolunteerIndex))
	s.handle("POST /api/v1/training/volunteers", s.api(s.apiVolunteerCreate))
	s.handle("POST /api/v1/training/volunteers/{volunteer}/end", s.api(s.apiVolunteerEnd))
	s.handle("GET /api/v1/training/completions", s.api(s.apiCompletionIndex))
	s.handle("POST /api/v1/training/completions", s.api(s.apiCompletionCreate))
	s.handle("POST /api/v1/training/import", s.api(s.apiTrainingImport))
	s.handle("GET /api/v1/self-assessments", s.api(s.apiAssessmentIndex))
	s.handle("POST /api/v1/self-assessments", s.api(s.apiAssessmentStart))
	s.handle("GET /api/v1/self-assessments/{assessment}", s.api(s.apiAssessmentView))
	s.handle("PUT /api/v1/self-assessments/{assessment}", s.api(s.apiAssessmentSave))
	s.handle("GET /api/v1/self-assessment/actions", s.api(s.apiActionIndex))
	s.handle("POST /api/v1/self-assessment/actions", s.api(s.apiActionCreate))
	s.handle("PUT /api/v1/self-assessment/actions/{action}", s.api(s.apiActionUpdate))
	s.handle("GET /api/v1/self-assessment/region", s.api(s.apiAssessmentRegion))
	s.handle("GET /api/v1/statistics", s.api(s.apiStatistics))
	s.handle("GET /api/v1/statistics/return", s.api(s.apiStatisticsReturn))
	s.handle("GET /api/v1/awareness", s.api(s.apiAwarenessIndex))
	s.handle("POST /api/v1/awareness", s.api(s.apiAwarenessCreate))
	s.handle("GET /api/v1/awareness/{activity}", s.api(s.apiAwarenessView))
	s.handle("PUT /api/v1/awareness/{activity}", s.api(s.apiAwarenessUpdate))
	s.handle("/api/", s.api(func(w http.ResponseWriter, r *http.Request, id *waymark.Identity) error {
		return waymark.Errorf(waymark.ENOTFOUND, "There is no such API route. See /api/v1/openapi.json.")
	}))
	// Everything else is a page that does not exist.
	s.handle("/", s.page(func(w http.ResponseWriter, r *http.Request) error {
		return waymark.Errorf(waymark.ENOTFOUND, "Page not found")
	}))
}

// Handler returns the server with its middleware, outermost first as a request meets them.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = http.NewCrossOriginProtection().Handler(h) // refuses cross-site state-changing requests
	h = s.securityHeaders(h)
	h = s.limitBody(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	h = s.findClientAddr(h)
	return h
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.svc.Ping(r.Context()); err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unavailable")
		return
	}
	fmt.Fprintln(w, "ready")
}
