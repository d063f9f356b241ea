package bagisto

import (
	"net/http"
	"strings"
	"time"

	"github.com/clientele/clientele/internal/core"
)

// me loads the caller's customer record.
func (a *API) me(r *http.Request) (*core.Customer, error) {
	c, err := a.svc.Customer(r.Context(), principalOf(r))
	if err != nil {
		return nil, notFoundAsUnauthenticated(err)
	}
	return c, nil
}

// notFoundAsUnauthenticated: a token whose customer is gone is no
// credential.
func notFoundAsUnauthenticated(err error) error {
	if toAPIError(err).status == http.StatusNotFound {
		return errUnauthenticated()
	}
	return err
}

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	c, err := a.me(r)
	if err != nil {
		return err
	}
	data, err := a.customerView(r.Context(), shopOf(r), c, isV1(r))
	if err != nil {
		return err
	}
	return ok(w, obj{{"data", data}})
}

// customerByID answers only the caller's own id; every other value gets
// the same 403 bytes, so the route tells nothing about other ids
// (contract §6.4).
func (a *API) customerByID(w http.ResponseWriter, r *http.Request) error {
	num, valid := pathNum(r.PathValue("id"))
	if !valid {
		return errForbiddenID()
	}
	if _, err := a.svc.ResolveMine(r.Context(), principalOf(r), core.AliasCustomer, num); err != nil {
		if toAPIError(err).status == http.StatusNotFound {
			return errForbiddenID()
		}
		return err
	}
	return a.getCustomer(w, r)
}

// profileInput is a checked profile update.
type profileInput struct {
	update            core.ProfileUpdate
	email             string // a new e-mail, or "" for no change
	pwField, password string // the password field used and the new password, or ""
	current           string
}

func (a *API) readProfile(r *http.Request, in input, c *core.Customer) (*profileInput, error) {
	sh, v1 := shopOf(r), isV1(r)
	l := &laravel{v1: v1}
	out := &profileInput{}
	first, _ := l.text(in, "first_name", true, 255)
	last, _ := l.text(in, "last_name", true, 255)
	out.update.FirstName, out.update.LastName = &first, &last
	if g, set := l.text(in, "gender", true, 32); set && !l.errs.has("gender") {
		if v, known := genders[strings.ToLower(g)]; known {
			out.update.Gender = &v
		} else {
			l.notIn("gender")
		}
	}
	if in.has("date_of_birth") {
		dob, set := l.text(in, "date_of_birth", false, 10)
		if set && !l.errs.has("date_of_birth") {
			l.dateBeforeToday("date_of_birth", dob, time.Now())
		}
		out.update.DateOfBirth = &dob
	}
	if in.has("phone") || v1 {
		phone, set := l.text(in, "phone", v1, 32)
		if set {
			l.phone("phone", phone)
		}
		out.update.Phone = &phone
	}
	if email, set := l.email(in, "email", false); set && !l.errs.has("email") {
		if norm, _ := core.NormalizeEmail(email); norm != c.EmailNormalized {
			out.email = email
		}
	}
	out.pwField = "password"
	if v1 {
		out.pwField = "new_password"
	}
	for _, f := range []string{"new_password", "password"} {
		if in.secret(f) != "" {
			out.pwField = f
		}
	}
	if in.secret(out.pwField) != "" {
		out.password, _ = a.newPassword(l, in, sh, out.pwField, out.pwField+"_confirmation", c.Email, false)
	}
	out.current = in.secret("current_password")
	switch {
	case out.current != "":
	case in.secret(out.pwField) != "":
		l.requiredWith("current_password", out.pwField)
	case out.email != "":
		l.requiredWith("current_password", "email")
	}
	if v1 && in.has("subscribed_to_news_letter") {
		sub := in.boolean("subscribed_to_news_letter")
		out.update.AcceptsEmailMarketing = &sub
	}
	return out, l.err()
}

func (a *API) updateProfile(w http.ResponseWriter, r *http.Request) error {
	in, err := body(r)
	if err != nil {
		return err
	}
	c, err := a.me(r)
	if err != nil {
		return err
	}
	sh, p, v1 := shopOf(r), principalOf(r), isV1(r)
	pi, err := a.readProfile(r, in, c)
	if err != nil {
		return err
	}
	wrongCurrent := invalid("current_password", "Current password does not match.")
	if pi.email != "" {
		// The old address stays until the new one is confirmed; a taken
		// address is not reported here (no enumeration, contract §6.5).
		err := a.svc.RequestEmailChange(r.Context(), sh, p, core.EmailChange{NewEmail: pi.email, Password: pi.current})
		switch {
		case err == nil, core.CodeOf(err) == core.CodeEmailTaken:
		case core.CodeOf(err) == core.CodeCurrentPassword:
			return wrongCurrent
		default:
			return (&laravel{v1: v1}).coreFields(err, map[string]string{"new_email": "email"})
		}
	}
	if pi.password != "" {
		err := a.svc.ChangePassword(r.Context(), sh, p, pi.current, pi.password)
		switch {
		case err == nil:
		case core.CodeOf(err) == core.CodeCurrentPassword:
			return wrongCurrent
		default:
			l := &laravel{v1: v1}
			l.policy(err, pi.pwField, a.minPassword(sh))
			if e := l.err(); e != nil {
				return e
			}
			return err
		}
	}
	c, err = a.svc.UpdateProfile(r.Context(), p, pi.update)
	if err != nil {
		return (&laravel{v1: v1}).coreFields(err, nil)
	}
	data, err := a.customerView(r.Context(), sh, c, v1)
	if err != nil {
		return err
	}
	if v1 {
		return ok(w, obj{{"data", data}, {"message", "Your Account has been updated successfully."}})
	}
	return ok(w, obj{{"message", "Your account has been updated successfully."}, {"data", data}})
}

// profileConsent is a profile update of the e-mail marketing consent only.
func profileConsent(v *bool) core.ProfileUpdate { return core.ProfileUpdate{AcceptsEmailMarketing: v} }
