package waymark

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// AuditEntry records who did what to which record, when and from where. Entries are written in the
// same transaction as the change they record and are chained by hash, so an entry altered, deleted
// or moved directly in the database is detected by verification.
type AuditEntry struct {
	Seq int64
	At  time.Time
	// ActorUserID is empty for the command line and for sign-in attempts by an unknown account.
	ActorUserID string
	// ActorLabel says who acted in words that survive the user's deletion ("cli", an email address).
	ActorLabel string
	// OrgID is the organisation the entry belongs to: the one whose admins may read it. Empty for
	// system-wide entries, which only system admins read.
	OrgID      string
	Action     string
	ObjectType string
	ObjectID   string
	Addr       string
	// Detail is a short description without personal data (for example "role: frontline -> manager").
	Detail   string
	PrevHash string
	Hash     string
}

// Audit actions.
const (
	AuditSignIn               = "signin.success"
	AuditSignInFailed         = "signin.failed"
	AuditSignInThrottled      = "signin.throttled"
	AuditTwoStepPassed        = "signin.two_step"
	AuditTwoStepFailed        = "signin.two_step_failed"
	AuditTwoStepEnabled       = "two_step.enabled"
	AuditRecoveryCodeUsed     = "two_step.recovery_code_used"
	AuditSignOut              = "signout"
	AuditPasswordSet          = "password.set"
	AuditPasswordChanged      = "password.changed"
	AuditPasswordChangeFailed = "password.change_failed"
	AuditUserInvited          = "user.invited"
	AuditUserReinvited        = "user.invitation_reissued"
	AuditUserCreated          = "user.created"
	AuditUserUpdated          = "user.updated"
	AuditUserRoleChanged      = "user.role_changed"
	AuditUserDisabled         = "user.disabled"
	AuditUserEnabled          = "user.enabled"
	AuditOrgCreated           = "organisation.created"
	AuditOrgUpdated           = "organisation.updated"
	AuditTokenCreated         = "token.created"
	AuditTokenRevoked         = "token.revoked"
	AuditKeysRotated          = "keys.rotated"
	AuditClientCreated        = "client.created"
	AuditClientsImported      = "client.imported"
	AuditClientViewed         = "client.viewed"
	AuditClientUpdated        = "client.updated"
	AuditClientMatchSearch    = "client.match_search"
	AuditConcernChanged       = "client.concern_changed"
	AuditConcernHistoryViewed = "client.concern_history_viewed"
	AuditNoteAdded            = "note.added"
	AuditNoteEdited           = "note.edited"
	AuditNotesViewed          = "note.list_viewed"
	AuditEpisodeAdded         = "exploitation.episode_added"
	AuditEpisodeUpdated       = "exploitation.episode_updated"
	AuditEpisodesViewed       = "exploitation.list_viewed"
	AuditRiskAssessed         = "exploitation.risk_assessed"
	AuditRiskViewed           = "exploitation.risk_viewed"
	AuditClientListViewed     = "client.list_viewed"
	AuditAuditViewed          = "audit.viewed"
	AuditScreeningRecorded    = "screening.recorded"
	AuditScreeningsViewed     = "screening.list_viewed"
	AuditSupportAdded         = "support.added"
	AuditSupportUpdated       = "support.updated"
	AuditSupportViewed        = "support.list_viewed"
	AuditHomelessnessAdded    = "homelessness.episode_added"
	AuditHomelessnessViewed   = "homelessness.list_viewed"
	AuditJourneyViewed        = "journey.viewed"
	AuditPathwayAnswered      = "journey.pathway_answered"
	AuditConsentRecorded      = "journey.consent_recorded"
	AuditStepRecorded         = "journey.step_recorded"
	AuditReferralRecorded     = "journey.referral_recorded"
	AuditDecisionRecorded     = "journey.decision_recorded"
	AuditMilestoneRecorded    = "journey.milestone_recorded"
	AuditDutyToNotifyRecorded = "journey.duty_to_notify_recorded"
	AuditTasksViewed          = "task.list_viewed"
	// Referrals between organisations: each is audited as a view or change of the client it is about.
	AuditReferralSent       = "referral.sent"
	AuditReferralViewed     = "referral.viewed"
	AuditReferralListViewed = "referral.list_viewed"
	AuditReferralAccepted   = "referral.accepted"
	AuditReferralDeclined   = "referral.declined"
	AuditReferralCompleted  = "referral.completed"
	AuditReferralWithdrawn  = "referral.withdrawn"

	// Life after support.
	AuditMoveOnViewed        = "move_on.viewed"
	AuditMoveOnPlanSaved     = "move_on.plan_saved"
	AuditFollowUpRecorded    = "move_on.follow_up_recorded"
	AuditCliffEdgeViewed     = "move_on.cliff_edge_viewed"
	AuditFollowUpScheduleSet = "move_on.schedule_changed"
	AuditNotificationsViewed = "notification.list_viewed"
	AuditEmailNoticesSet     = "notification.email_set"

	// Sharing between agencies.
	AuditAgreementCreated       = "agreement.created"
	AuditAgreementUpdated       = "agreement.updated"
	AuditAgreementConfirmed     = "agreement.confirmed"
	AuditAgreementWithdrawn     = "agreement.confirmation_withdrawn"
	AuditSharingConsentRecorded = "consent.recorded"
	AuditSharingConsentsViewed  = "consent.list_viewed"
	AuditCaseShared             = "share.created"
	AuditShareRevoked           = "share.revoked"
	AuditSharedRecordViewed     = "share.record_viewed"
	AuditSharedListViewed       = "share.list_viewed"
	AuditSharesViewed           = "share.client_shares_viewed"

	// The resource library.
	AuditGuideSaved = "guidance.saved"
	// Case conferences. A read or change of a case's minutes or actions by another organisation
	// is also recorded in the owner's log against the client, with AuditConferenceCaseSeen.
	AuditConferenceCreated       = "conference.created"
	AuditConferenceUpdated       = "conference.updated"
	AuditConferencesViewed       = "conference.list_viewed"
	AuditConferenceViewed        = "conference.viewed"
	AuditConferenceCaseAdded     = "conference.case_added"
	AuditConferenceCaseRemoved   = "conference.case_removed"
	AuditConferenceCaseViewed    = "conference.case_viewed"
	AuditConferenceCaseSeen      = "conference.case_seen_by_partner"
	AuditConferenceMinutesSaved  = "conference.minutes_saved"
	AuditConferenceActionAdded   = "conference.action_added"
	AuditConferenceActionUpdated = "conference.action_updated"
	AuditClientConferencesViewed = "conference.client_conferences_viewed"
	// Training records and awareness activities.
	AuditCourseCreated        = "training.course_created"
	AuditCourseUpdated        = "training.course_updated"
	AuditVolunteerAdded       = "training.volunteer_added"
	AuditVolunteerEnded       = "training.volunteer_ended"
	AuditVolunteersViewed     = "training.volunteers_viewed"
	AuditCompletionRecorded   = "training.completion_recorded"
	AuditTrainingImported     = "training.imported"
	AuditTrainingViewed       = "training.coverage_viewed"
	AuditCompletionsViewed    = "training.completions_viewed"
	AuditTrainingPeopleViewed = "training.people_viewed"
	AuditAwarenessRecorded    = "awareness.recorded"
	AuditAwarenessUpdated     = "awareness.updated"

	AuditAssessmentStarted   = "assessment.started"
	AuditAssessmentSaved     = "assessment.saved"
	AuditAssessmentCompleted = "assessment.completed"
	AuditAssessmentViewed    = "assessment.viewed"
	AuditAssessmentsViewed   = "assessment.list_viewed"
	AuditPlanActionAdded     = "assessment.action_added"
	AuditPlanActionUpdated   = "assessment.action_updated"
	AuditPlanViewed          = "assessment.plan_viewed"
	AuditRegionalViewed      = "assessment.regional_viewed"

	// AuditStatisticsViewed is a read of the regional statistics on screen or through the API;
	// AuditStatisticsExported a download of a return (CSV or XLSX). Object type "statistics",
	// object id the year ("2026-27").
	AuditStatisticsViewed   = "statistics.viewed"
	AuditStatisticsExported = "statistics.exported"
)

// ComputeHash returns the entry's hash chained to prev: SHA-256 over prev and every field but Hash,
// each length-prefixed so that no two different entries encode the same.
func (e *AuditEntry) ComputeHash(prev string) string {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	put(e.At.UTC().Format(time.RFC3339Nano))
	for _, s := range []string{prev, e.ActorUserID, e.ActorLabel, e.OrgID, e.Action, e.ObjectType, e.ObjectID, e.Addr, e.Detail} {
		put(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	// OrgID limits to one organisation's entries; organisation admins always get their own.
	OrgID string
	Page  Page
}

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	Entries int64
	// OK is false when the chain is broken; FirstBad and Problem then say where and how.
	OK       bool
	FirstBad int64
	Problem  string
}

// AuditService reads and verifies the audit trail. Nothing in the application changes or deletes entries.
type AuditService interface {
	// FindAuditEntries lists entries, newest first. Organisation admins see their organisation's;
	// system admins all (or one organisation's). EFORBIDDEN for other roles. Reading is itself audited.
	FindAuditEntries(ctx context.Context, actor Actor, f AuditFilter) ([]*AuditEntry, int, error)
	// VerifyAudit walks the chain from the first entry and reports the first one that was altered,
	// deleted or reordered.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}
