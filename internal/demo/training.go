package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"waymark"
)

// TrainingInfo describes the demo training catalogue and awareness sessions.
type TrainingInfo struct {
	// CourseIDs are the catalogue's courses, kept by the partnership.
	CourseIDs []string
	// CourseKeeper is the organisation that keeps them.
	CourseKeeper string
	// ActivityIDs are the awareness sessions of every organisation.
	ActivityIDs []string
	// Volunteers counts the volunteers added across the region.
	Volunteers int
}

// AwarenessMarker is the string in the notes of one awareness session of each organisation: staff
// of other organisations may never see it. "" if the organisation is not one of the region's.
func (r *Region) AwarenessMarker(orgID string) string {
	if m := r.Marker(orgID); m != "" {
		return "AWARENESS" + m[len("MKR"):]
	}
	return ""
}

// demoCourses are the region's catalogue: fictional local providers, courses a homelessness
// sector's staff in England would take.
var demoCourses = []waymark.Course{
	{Name: "Modern slavery awareness", Provider: "Northmoor Safeguarding Adults Board", Level: waymark.LevelAwareness, ValidityMonths: 24},
	{Name: "First Responder training", Provider: "Northmoor Anti-Slavery Partnership", Level: waymark.LevelFirstResponder, ValidityMonths: 36},
	{Name: "Safeguarding adults level 2", Provider: "Northmoor City Council learning and development", Level: waymark.LevelAwareness, ValidityMonths: 36},
	{Name: "Spotting the signs in homelessness services", Provider: "Northmoor Freedom Trust", Level: waymark.LevelAwareness, ValidityMonths: 12},
	{Name: "Trauma-informed support for survivors", Provider: "Northmoor Freedom Trust", Level: waymark.LevelSpecialist, ValidityMonths: 36},
	{Name: "Single point of contact induction", Provider: "Northmoor Anti-Slavery Partnership", Level: waymark.LevelSpecialist},
}

var volunteerFirst = []string{"Hollie", "Tomasz", "Ayesha", "Gareth", "Nneka", "Callum", "Marta", "Imran", "Bethany", "Declan", "Lucia", "Owen"}
var volunteerLast = []string{"Ashworth", "Brennan", "Chowdhury", "Dunmore", "Eke", "Fairclough", "Grabowski", "Hussain", "Irwin", "Jowett", "Kerrigan", "Lister"}

var awarenessTopics = map[waymark.AwarenessAudience][]string{
	"clients":  {"Your rights at work", "Job offers that are too good to be true", "Who to tell if someone holds your documents"},
	"staff":    {"Spotting the signs of labour exploitation", "Making a referral to the National Referral Mechanism", "County lines and cuckooing"},
	"public":   {"Modern slavery in car washes and nail bars", "Stall at the community fair"},
	"partners": {"Pathways for people with no recourse to public funds", "Joint working with the Modern Slavery Unit"},
}

// recordTraining builds the catalogue (kept by the partnership's admin), and in every service
// organisation volunteers, completions over the last three years (some out of date, some running
// out within 60 days, some people untrained) and awareness sessions over the last two years.
func recordTraining(ctx context.Context, s Services, r *Region, o Options, rnd *rand.Rand) error {
	today := waymark.Today(o.Today)
	admins, managers := map[string]waymark.Actor{}, map[string]waymark.Actor{}
	for _, u := range r.Users {
		a := waymark.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Via: "demo"}
		switch u.Role {
		case waymark.RoleOrgAdmin:
			admins[u.OrgID] = a
		case waymark.RoleManager:
			managers[u.OrgID] = a
		}
	}
	var keeper waymark.Actor
	for i, spec := range orgSpecs {
		if spec.slug == "partnership" {
			keeper = admins[r.Organisations[i].ID]
			r.Training.CourseKeeper = keeper.OrgID
		}
	}
	var courses []*waymark.Course
	for _, c := range demoCourses {
		if err := s.Training.CreateCourse(ctx, keeper, &c); err != nil {
			return fmt.Errorf("demo: add the course %q: %w", c.Name, err)
		}
		courses = append(courses, &c)
		r.Training.CourseIDs = append(r.Training.CourseIDs, c.ID)
	}
	vol := 0
	for i, spec := range orgSpecs {
		if spec.prefix == "" {
			continue
		}
		orgID := r.Organisations[i].ID
		mgr := managers[orgID]
		// People: the organisation's staff who meet clients, and two or three volunteers.
		var people []waymark.TrainingPerson
		for _, u := range r.Users {
			if u.OrgID == orgID && (u.Role == waymark.RoleFrontline || u.Role == waymark.RoleSafeguardingLead || u.Role == waymark.RoleManager) {
				people = append(people, waymark.TrainingPerson{UserID: u.ID, Role: u.Role})
			}
		}
		for range 2 + rnd.IntN(2) {
			v := &waymark.Volunteer{Name: volunteerFirst[vol%len(volunteerFirst)] + " " + volunteerLast[(vol*5+i)%len(volunteerLast)]}
			vol++
			if err := s.Training.AddVolunteer(ctx, mgr, v); err != nil {
				return fmt.Errorf("demo: add a volunteer to %s: %w", spec.name, err)
			}
			people = append(people, waymark.TrainingPerson{VolunteerID: v.ID})
			r.Training.Volunteers++
		}
		for j, p := range people {
			// The last volunteer of every other organisation has no training yet.
			if j == len(people)-1 && i%2 == 0 {
				continue
			}
			// Awareness for everyone, some of it long ago (out of date); more for staff.
			var plan []int
			switch {
			case p.Role == waymark.RoleSafeguardingLead:
				plan = []int{1, 4, 5}
			case p.Role == waymark.RoleFrontline:
				plan = []int{0, 2}
			case p.Role == waymark.RoleManager:
				plan = []int{0, 1}
			default:
				plan = []int{0 + 3*rnd.IntN(2)}
			}
			for _, ci := range plan {
				// Up to three years ago; a few chosen so that they run out within the next 60 days.
				daysAgo := 30 + rnd.IntN(3*365-30)
				if c := courses[ci]; c.ValidityMonths > 0 && rnd.IntN(4) == 0 {
					lapse := waymark.AddDays(waymark.AddMonths(today, -c.ValidityMonths), 5+rnd.IntN(50))
					daysAgo = waymark.DaysBetween(lapse, today)
				}
				t := &waymark.TrainingCompletion{UserID: p.UserID, VolunteerID: p.VolunteerID, CourseID: courses[ci].ID, CompletedOn: waymark.AddDays(today, -daysAgo)}
				if err := s.Training.RecordCompletion(ctx, mgr, t); err != nil {
					return fmt.Errorf("demo: record training in %s: %w", spec.name, err)
				}
			}
		}
		// Awareness sessions over the last two years, one carrying the organisation's marker.
		audiences := []waymark.AwarenessAudience{"clients", "staff", "public", "partners"}
		for k := range 4 + rnd.IntN(5) {
			aud := audiences[rnd.IntN(len(audiences))]
			topics := awarenessTopics[aud]
			a := &waymark.AwarenessActivity{On: waymark.AddDays(today, -rnd.IntN(730)), Audience: aud, Attending: 4 + rnd.IntN(40),
				Topic: topics[rnd.IntN(len(topics))], DeliveredBy: spec.name + " safeguarding lead"}
			if aud == "public" {
				a.Attending += 60
			}
			if k == 0 {
				a.Notes = "Internal reference " + r.AwarenessMarker(orgID) + ". Leaflets in English, Polish and Romanian handed out."
			}
			if err := s.Awareness.CreateAwareness(ctx, mgr, a); err != nil {
				return fmt.Errorf("demo: record an awareness session of %s: %w", spec.name, err)
			}
			r.Training.ActivityIDs = append(r.Training.ActivityIDs, a.ID)
		}
	}
	return nil
}
