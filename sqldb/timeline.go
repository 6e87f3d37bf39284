package sqldb

import (
	"context"
	"strings"

	"waymark"
)

// timeline gathers what has been recorded about a client into dated events, with labels only.
// Restricted notes appear only for those who may read them.
func (tx *Tx) timeline(ctx context.Context, actor waymark.Actor, c *waymark.Client) ([]waymark.TimelineEvent, error) {
	base := "/clients/" + c.ID
	var events []waymark.TimelineEvent
	stamp := func(e waymark.TimelineEvent) waymark.TimelineEvent {
		if e.Date == "" {
			e.Date = waymark.FormatDate(e.At)
		}
		return e
	}
	for _, q := range []struct {
		sql  string
		make func(s func(...any) error) (waymark.TimelineEvent, bool, error)
	}{
		{`SELECT h.at, h.status, COALESCE(u.name, '') FROM client_concern_changes h LEFT JOIN users u ON u.id = h.by_user_id WHERE h.client_id = $1 AND h.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var status waymark.ConcernStatus
				var by string
				err := scan(&at, &status, &by)
				return waymark.TimelineEvent{At: at.t, Kind: "Concern", Summary: "Concern status: " + status.Label(), By: by, Link: base + "#concern-history"}, true, err
			}},
		{`SELECT n.created_at, n.restricted, n.author_id, COALESCE(u.name, '') FROM case_notes n LEFT JOIN users u ON u.id = n.author_id WHERE n.client_id = $1 AND n.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var n waymark.CaseNote
				err := scan(&at, &n.Restricted, &n.AuthorID, &n.AuthorName)
				summary := "Case note"
				if n.Restricted {
					summary = "Case note, for safeguarding leads"
				}
				return waymark.TimelineEvent{At: at.t, Kind: "Note", Summary: summary, By: n.AuthorName, Link: base + "#notes"}, actor.MaySeeNote(&n), err
			}},
		{`SELECT s.asked_at, COALESCE(q.name, ''), s.proposed_status, COALESCE(u.name, '') FROM screenings s LEFT JOIN question_sets q ON q.id = s.set_id
			LEFT JOIN users u ON u.id = s.asked_by WHERE s.client_id = $1 AND s.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var set, by string
				var proposed waymark.ConcernStatus
				err := scan(&at, &set, &proposed, &by)
				return waymark.TimelineEvent{At: at.t, Kind: "Screening", Summary: set + ": proposed " + strings.ToLower(proposed.Label()), By: by, Link: base + "/screening"}, true, err
			}},
		{`SELECT e.start_date, e.recorded_at, e.types, COALESCE(u.name, '') FROM exploitation_episodes e LEFT JOIN users u ON u.id = e.recorded_by WHERE e.client_id = $1 AND e.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var start, types, by string
				var rec nullTime
				err := scan(&start, &rec, &types, &by)
				var labels []string
				for _, t := range splitList(types) {
					labels = append(labels, strings.ToLower(waymark.ExploitationLabel("types", t)))
				}
				e := waymark.TimelineEvent{At: rec.t, Kind: "Exploitation", Summary: "Exploitation recorded: " + strings.Join(labels, ", "), By: by, Link: base + "/exploitation"}
				if at, date, ok := waymark.PartialDateEvent(start); ok {
					e.At, e.Date, e.Summary = at, date, "Exploitation began: "+strings.Join(labels, ", ")
				}
				return e, true, err
			}},
		{`SELECT r.assessed_at, r.level, COALESCE(u.name, '') FROM risk_assessments r LEFT JOIN users u ON u.id = r.assessed_by WHERE r.client_id = $1 AND r.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var level, by string
				err := scan(&at, &level, &by)
				return waymark.TimelineEvent{At: at.t, Kind: "Risk", Summary: "Risk of exploitation again: " + strings.ToLower(waymark.ExploitationLabel("risk", level)), By: by, Link: base + "/exploitation#risk"}, true, err
			}},
		{`SELECT a.start_date, a.support_type, a.outcome, COALESCE(u.name, '') FROM support_actions a LEFT JOIN users u ON u.id = a.recorded_by WHERE a.client_id = $1 AND a.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var start, by string
				var typ waymark.SupportType
				var outcome waymark.SupportOutcome
				err := scan(&start, &typ, &outcome, &by)
				at, date, ok := waymark.PartialDateEvent(start)
				summary := "Support: " + typ.Label()
				if outcome != "" {
					summary += " (" + strings.ToLower(outcome.Label()) + ")"
				}
				return waymark.TimelineEvent{At: at, Date: date, Kind: "Support", Summary: summary, By: by, Link: base + "/support"}, ok, err
			}},
		{`SELECT h.from_date, h.situation, COALESCE(u.name, '') FROM homelessness_episodes h LEFT JOIN users u ON u.id = h.recorded_by WHERE h.client_id = $1 AND h.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var from, by string
				var situation waymark.Situation
				err := scan(&from, &situation, &by)
				at, date, ok := waymark.PartialDateEvent(from)
				return waymark.TimelineEvent{At: at, Date: date, Kind: "Housing", Summary: "Living: " + strings.ToLower(situation.Label()), By: by, Link: base + "/support"}, ok, err
			}},
		// The NRM journey: each query gives a date, two values for the summary and who recorded it.
		{`SELECT n.answered_on, n.answer, '', COALESCE(u.name, '') FROM nrm_consents n LEFT JOIN users u ON u.id = n.recorded_by WHERE n.client_id = $1 AND n.org_id = $2`,
			datedEvent("Consent", base+"/pathway#consent", func(answer, _ string) string {
				return "Asked about an NRM referral: " + waymark.ConsentAnswer(answer).Label()
			})},
		{`SELECT p.on_date, p.kind, p.outcome, COALESCE(u.name, '') FROM pathway_steps p LEFT JOIN users u ON u.id = p.recorded_by WHERE p.client_id = $1 AND p.org_id = $2`,
			datedEvent("Pathway", base+"/pathway#steps", func(kind, outcome string) string {
				return waymark.StepKind(kind).TakenLabel() + ": " + strings.ToLower(waymark.StepOutcome(outcome).Label())
			})},
		{`SELECT r.submitted_on, '', '', COALESCE(u.name, '') FROM nrm_referrals r LEFT JOIN users u ON u.id = r.recorded_by WHERE r.client_id = $1 AND r.org_id = $2`,
			datedEvent("NRM", base+"/nrm", func(_, _ string) string { return "NRM referral submitted" })},
		{`SELECT d.decided_on, d.stage, d.outcome, COALESCE(u.name, '') FROM nrm_decisions d LEFT JOIN users u ON u.id = d.recorded_by WHERE d.client_id = $1 AND d.org_id = $2`,
			datedEvent("NRM", base+"/nrm", func(stage, outcome string) string {
				return waymark.DecisionStage(stage).Label() + " decision: " + strings.ToLower(waymark.DecisionOutcome(outcome).Label())
			})},
		{`SELECT m.on_date, m.kind, '', COALESCE(u.name, '') FROM nrm_milestones m LEFT JOIN users u ON u.id = m.recorded_by WHERE m.client_id = $1 AND m.org_id = $2`,
			datedEvent("NRM", base+"/nrm", func(kind, _ string) string { return waymark.MilestoneKind(kind).Label() })},
		{`SELECT t.submitted_on, '', '', COALESCE(u.name, '') FROM duty_to_notify_reports t LEFT JOIN users u ON u.id = t.recorded_by WHERE t.client_id = $1 AND t.org_id = $2`,
			datedEvent("Duty to Notify", base+"/duty-to-notify", func(_, _ string) string { return "Duty to Notify report made" })},
		{`SELECT k.recorded_at, k.purpose, k.basis, k.decision, COALESCE(u.name, '') FROM client_consents k LEFT JOIN users u ON u.id = k.recorded_by WHERE k.client_id = $1 AND k.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var purpose waymark.ConsentPurpose
				var basis waymark.LawfulBasis
				var decision waymark.ConsentDecision
				var by string
				err := scan(&at, &purpose, &basis, &decision, &by)
				summary := "Consent " + strings.ToLower(decision.Label()) + ": " + strings.ToLower(purpose.Label())
				if basis != waymark.BasisConsent {
					summary = "Lawful basis other than consent recorded: " + strings.ToLower(purpose.Label())
				}
				return waymark.TimelineEvent{At: at.t, Kind: "Consent", Summary: summary, By: by, Link: base + "/sharing"}, true, err
			}},
		{`SELECT p.recorded_at, p.version, COALESCE(u.name, '') FROM move_on_plans p LEFT JOIN users u ON u.id = p.recorded_by WHERE p.client_id = $1 AND p.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var version int
				var by string
				err := scan(&at, &version, &by)
				summary := "Move-on plan changed"
				if version == 1 {
					summary = "Move-on plan made"
				}
				return waymark.TimelineEvent{At: at.t, Kind: "Move-on", Summary: summary, By: by, Link: base + "/move-on"}, true, err
			}},
		{`SELECT f.recorded_at, f.months, f.contacted, f.version, COALESCE(u.name, '') FROM follow_ups f LEFT JOIN users u ON u.id = f.recorded_by WHERE f.client_id = $1 AND f.org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var by string
				var months, version int
				var contacted bool
				err := scan(&at, &months, &contacted, &version, &by)
				summary := "Follow-up at " + itoa(months) + " months"
				if months == 1 {
					summary = "Follow-up at 1 month"
				}
				if version > 1 {
					summary += " corrected"
				}
				summary += map[bool]string{true: ": reached", false: ": could not contact"}[contacted]
				return waymark.TimelineEvent{At: at.t, Kind: "Move-on", Summary: summary, By: by, Link: base + "/move-on"}, true, err
			}},
		// What partners added through a share: labels only, named by organisation and person.
		{`SELECT k.added_at, k.kind, k.support_type, COALESCE(p.name, ''), COALESCE(u.name, '') FROM share_contributions k
			LEFT JOIN organisations p ON p.id = k.partner_org_id LEFT JOIN users u ON u.id = k.added_by WHERE k.client_id = $1 AND k.owner_org_id = $2`,
			func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
				var at nullTime
				var k waymark.ShareContribution
				var by string
				err := scan(&at, &k.Kind, &k.SupportType, &k.PartnerOrgName, &by)
				return waymark.TimelineEvent{At: at.t, Kind: "Partner", Summary: k.Summary(), By: by + " (" + k.PartnerOrgName + ")", Link: base + "/sharing#contributions"}, true, err
			}},
	} {
		rows, err := tx.QueryContext(ctx, q.sql+` LIMIT 500`, c.ID, actor.OrgID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, keep, err := q.make(rows.Scan)
			if err != nil {
				rows.Close()
				return nil, err
			}
			if keep {
				events = append(events, stamp(e))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	// Last, so that what was recorded as the client was added comes above it at the same time.
	events = append(events, waymark.TimelineEvent{At: c.CreatedAt, Date: waymark.FormatDate(c.CreatedAt), Kind: "Record", Summary: "Added to Waymark", Link: base})
	waymark.SortTimeline(events)
	return events, nil
}

// datedEvent makes timeline events from rows of a date ("YYYY-MM-DD"), two values that summary
// turns into words, and who recorded them.
func datedEvent(kind, link string, summary func(a, b string) string) func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
	return func(scan func(...any) error) (waymark.TimelineEvent, bool, error) {
		var on, a, b, by string
		err := scan(&on, &a, &b, &by)
		at, date, ok := waymark.PartialDateEvent(on)
		return waymark.TimelineEvent{At: at, Date: date, Kind: kind, Summary: summary(a, b), By: by, Link: link}, ok, err
	}
}
