package waymark

// Role is what a user does in their organisation. The set is closed: a user has exactly one.
type Role string

// The roles, in the order they are offered.
const (
	RoleFrontline        Role = "frontline"
	RoleSafeguardingLead Role = "safeguarding_lead"
	RoleManager          Role = "manager"
	RoleOrgAdmin         Role = "org_admin"
	RolePartner          Role = "partner"
	RoleAnalyst          Role = "analyst"
	RoleSystemAdmin      Role = "system_admin"
)

// Roles lists every role in display order.
var Roles = []Role{RoleFrontline, RoleSafeguardingLead, RoleManager, RoleOrgAdmin, RolePartner, RoleAnalyst, RoleSystemAdmin}

var roleLabels = map[Role]string{
	RoleFrontline:        "Frontline worker",
	RoleSafeguardingLead: "Safeguarding lead",
	RoleManager:          "Manager",
	RoleOrgAdmin:         "Organisation admin",
	RolePartner:          "Partner",
	RoleAnalyst:          "Regional analyst",
	RoleSystemAdmin:      "System admin",
}

var roleHints = map[Role]string{
	RoleFrontline:        "Finds, adds and records clients of their organisation, and reads what other organisations share with it.",
	RoleSafeguardingLead: "Everything a frontline worker does, plus referrals, consent decisions and restricted notes.",
	RoleManager:          "Sees the organisation's clients, tasks and reports.",
	RoleOrgAdmin:         "Manages the organisation's staff accounts and reads its audit log. Sees no client records.",
	RolePartner:          "Sees only the records other organisations share with this organisation: for staff of partner agencies who keep no client records here.",
	RoleAnalyst:          "Sees regional statistics only, never a name or a record.",
	RoleSystemAdmin:      "Manages organisations and their admins. Sees no client records.",
}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// Label is the role's name as people read it.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// Hint says in one sentence what the role may do.
func (r Role) Hint() string { return roleHints[r] }

// Permission is something a role may do, regardless of which record it is done to. Whether a
// particular record may be touched (its organisation, sharing, consent) is checked again by the store.
type Permission string

// The permissions.
const (
	PermViewClients         Permission = "clients.view"         // the organisation's own client records
	PermEditClients         Permission = "clients.edit"         // add and change the organisation's client records
	PermViewSharedClients   Permission = "clients.view_shared"  // records other organisations share
	PermManageOrgUsers      Permission = "users.manage_org"     // invite, disable and change the role of the organisation's staff
	PermManageOrganisations Permission = "organisations.manage" // create and change organisations and their admins
	PermViewOrgAudit        Permission = "audit.view_org"       // the organisation's audit entries
	PermViewAllAudit        Permission = "audit.view_all"       // every audit entry
	PermViewRegionalStats   Permission = "stats.view_regional"  // suppressed regional aggregates
	PermManageOwnTokens     Permission = "tokens.manage_own"    // API tokens acting as oneself
	PermViewOrgTasks        Permission = "tasks.view_org"       // every open task of the organisation
	PermManageDirectory     Permission = "directory.manage"     // the organisation's entries in the referral routes directory
	PermViewOrgOutcomes     Permission = "outcomes.view_org"    // the organisation's outcomes after support, counts only
	PermManageFollowUps     Permission = "follow_ups.manage"    // the organisation's follow-up schedule
	PermViewAgreements      Permission = "agreements.view"      // the data sharing agreements the organisation is a party to
	PermManageAgreements    Permission = "agreements.manage"    // record and change the organisation's data sharing agreements
	PermRecordLawfulBasis   Permission = "consent.lawful_basis" // record a lawful basis other than consent, overriding a refusal
	PermShareCases          Permission = "cases.share"          // share a client's record with a partner organisation, and revoke it
	PermManageGuidance      Permission = "guidance.manage"      // write the organisation's guidance pages
	PermManageRegionalGuide Permission = "guidance.region"      // write the region's guidance pages
	PermViewConferences     Permission = "conferences.view"     // the case conferences the organisation attends
	PermManageConferences   Permission = "conferences.manage"   // chair conferences, write minutes and actions
	PermViewTraining        Permission = "training.view"        // the organisation's training records and awareness activities
	PermManageTraining      Permission = "training.manage"      // the training catalogue's own courses, volunteers, completions, imports and awareness activities
	PermViewAssessment      Permission = "assessment.view"      // the organisation's self-assessments and action plan
	PermManageAssessment    Permission = "assessment.manage"    // start, answer and complete self-assessments, and keep the action plan
)

var rolePermissions = map[Role][]Permission{
	RoleFrontline: {PermViewClients, PermEditClients, PermViewSharedClients, PermManageOwnTokens, PermViewTraining, PermViewAssessment},
	RoleSafeguardingLead: {PermViewClients, PermEditClients, PermViewSharedClients, PermViewOrgTasks, PermViewOrgOutcomes, PermViewAgreements, PermRecordLawfulBasis, PermShareCases, PermManageOwnTokens,
		PermViewConferences, PermManageConferences, PermManageGuidance, PermViewTraining, PermViewAssessment},
	RoleManager: {PermViewClients, PermEditClients, PermViewSharedClients, PermViewOrgTasks, PermViewOrgOutcomes, PermViewRegionalStats, PermManageDirectory, PermManageFollowUps,
		PermViewAgreements, PermManageOwnTokens, PermViewConferences, PermManageConferences, PermManageGuidance, PermViewTraining, PermManageTraining,
		PermViewAssessment, PermManageAssessment},
	RoleOrgAdmin: {PermManageOrgUsers, PermViewOrgAudit, PermManageDirectory, PermManageFollowUps, PermViewAgreements, PermManageAgreements, PermManageGuidance, PermManageOwnTokens,
		PermViewTraining, PermManageTraining, PermViewAssessment},
	RolePartner:     {PermViewSharedClients, PermManageOwnTokens, PermViewConferences, PermManageConferences},
	RoleAnalyst:     {PermViewRegionalStats, PermManageOwnTokens},
	RoleSystemAdmin: {PermManageOrganisations, PermManageOrgUsers, PermViewAllAudit, PermManageRegionalGuide, PermManageOwnTokens},
}

// Can reports whether the role has the permission.
func (r Role) Can(p Permission) bool {
	for _, q := range rolePermissions[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Actor is who is acting: a signed-in user, an API token's user, or the command line.
type Actor struct {
	UserID string
	OrgID  string
	Role   Role
	// Addr is the client's network address, recorded in the audit trail.
	Addr string
	// System is set for the command line and background jobs, which act outside any organisation.
	System bool
	// Via says how the actor came in: "web", "api" or "cli".
	Via string
}

// SystemActor is the command line acting on the operator's authority; the audit trail records it as such.
func SystemActor() Actor { return Actor{System: true, Via: "cli", Addr: "local"} }

// MayGrant reports whether the actor may give someone the role. Organisation admins give any role
// but system admin; system admins, who see no client records, give only the admin roles, so that
// they cannot make themselves an account that does; the command line gives any.
func (a Actor) MayGrant(r Role) bool {
	switch {
	case a.System:
		return r.Valid()
	case a.Can(PermManageOrganisations):
		return r == RoleOrgAdmin || r == RoleSystemAdmin
	case a.Can(PermManageOrgUsers):
		return r.Valid() && r != RoleSystemAdmin
	}
	return false
}

// Can reports whether the actor may do p. The system actor may do what a system admin may.
func (a Actor) Can(p Permission) bool {
	if a.System {
		return RoleSystemAdmin.Can(p)
	}
	return a.Role.Can(p)
}
