package waymark

import (
	"context"
	"time"
)

// Tasks are what Waymark reminds staff to do, made by a background job from what is recorded (and
// closed by it once done): a new concern to decide the route for, a referral pack to complete and
// submit, consent to ask again, a reasonable grounds decision overdue, support about to end (and
// ending within CliffEdgeDays with no home or income in place), a follow-up due after it ended.

// TaskKind names what a task asks for.
type TaskKind string

// The kinds of task.
const (
	TaskNewConcern          TaskKind = "new_concern"
	TaskReferralPack        TaskKind = "referral_pack"
	TaskAskConsentAgain     TaskKind = "ask_consent_again"
	TaskNoReasonableGrounds TaskKind = "no_reasonable_grounds"
	TaskSupportEnding       TaskKind = "support_ending"
	TaskMoveOnGap           TaskKind = "move_on_gap"
	TaskFollowUpDue         TaskKind = "follow_up_due"
)

var taskKinds = optionSet{
	{"new_concern", "New concern: decide the route"},
	{"referral_pack", "Complete and submit the NRM referral"},
	{"ask_consent_again", "Ask again about an NRM referral"},
	{"no_reasonable_grounds", "No reasonable grounds decision yet: chase it"},
	{"support_ending", "Support is ending: plan what comes next"},
	{"move_on_gap", "Support ends soon with no home or income in place"},
	{"follow_up_due", "Follow-up due: find out how they are doing"},
}

// TaskKinds lists the kinds of task in the order the overview shows them.
func TaskKinds() []TaskKind {
	out := make([]TaskKind, len(taskKinds))
	for i, o := range taskKinds {
		out[i] = TaskKind(o.value)
	}
	return out
}

// Label is what the task asks for, as people read it.
func (k TaskKind) Label() string { return taskKinds.label(string(k)) }

// Path is where on the client's pages the task is done.
func (k TaskKind) Path() string {
	switch k {
	case TaskNoReasonableGrounds:
		return "/nrm"
	case TaskSupportEnding, TaskMoveOnGap, TaskFollowUpDue:
		return "/move-on"
	case TaskReferralPack:
		return "/nrm/pack"
	}
	return "/pathway"
}

// Task is one reminder about one client. The job opens a task when its condition starts to hold and
// closes it when it no longer does; Source names the record behind it, so each is made once.
type Task struct {
	ID       string
	OrgID    string
	ClientID string
	// ClientName is the client's name as the task list shows it, and ClientReference the
	// organisation's own reference for the client.
	ClientName      string
	ClientReference string
	Kind            TaskKind
	Source          string
	// DueOn is when the task falls due, "YYYY-MM-DD": the date support ends, the date to ask again.
	DueOn string
	// AssignedTo is the client's assigned worker, or empty: the organisation's safeguarding leads
	// then pick it up from the overview.
	AssignedTo     string
	AssignedToName string
	OpenedAt       time.Time
	ClosedAt       *time.Time
}

// TaskSettings are the organisation-wide thresholds of the tasks job.
type TaskSettings struct {
	// SupportEndingDays is how far ahead the end of support makes a task: the cliff edge.
	SupportEndingDays int
	// DecisionOverdueDays is how long after a referral is submitted a missing reasonable grounds
	// decision makes a task.
	DecisionOverdueDays int
}

// DefaultTaskSettings are the thresholds the issue and practice suggest: two weeks' warning of the
// end of support, and a reasonable grounds decision chased after 30 days (the Home Office aims for
// five working days, but waits are often far longer).
var DefaultTaskSettings = TaskSettings{SupportEndingDays: 14, DecisionOverdueDays: 30}

// TaskService reads tasks and runs the job that makes them.
type TaskService interface {
	// FindMyTasks lists the open tasks of clients assigned to the actor, and for safeguarding leads
	// also those of clients with no assigned worker, soonest due first. Audited as a list view.
	FindMyTasks(ctx context.Context, actor Actor) ([]*Task, error)
	// CountMyTasks counts the tasks FindMyTasks lists, and those due before the London date of
	// now. Counts name nobody, so they are not audited.
	CountMyTasks(ctx context.Context, actor Actor) (open, overdue int, err error)
	// FindOrganisationTasks lists every open task of the actor's organisation, for managers and
	// safeguarding leads (EFORBIDDEN otherwise). Audited as a list view.
	FindOrganisationTasks(ctx context.Context, actor Actor) ([]*Task, error)
	// RefreshTasks opens the tasks whose conditions hold and closes those whose conditions no
	// longer do, across the region, as of the London date of now. It returns how many it opened
	// and closed. The system actor only.
	RefreshTasks(ctx context.Context, actor Actor, s TaskSettings) (opened, closed int, err error)
}
