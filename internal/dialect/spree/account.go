package spree

import (
	"errors"
	"net/http"

	"github.com/clientele/clientele/internal/core"
)

func (a *API) getCustomer(w http.ResponseWriter, r *http.Request) error {
	p := principalOf(r)
	c, err := a.svc.Customer(r.Context(), p)
	if err != nil {
		return remap(err, errAuthRequired(), core.ErrNotFound)
	}
	v, err := a.customerView(r.Context(), r, p, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func errCurrentPassword() error {
	return newErr(http.StatusUnprocessableEntity, codeCurrentPassword, "Current password is invalid or missing")
}

// updateCustomer applies a profile update, an e-mail change (through
// core's confirmed change: the answer still shows the old e-mail until
// the link in the mail is opened) and a password change.
func (a *API) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerUpdateRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	ctx, p, sh := r.Context(), principalOf(r), shopOf(r)
	c, err := a.svc.Customer(ctx, p)
	if err != nil {
		return remap(err, errAuthRequired(), core.ErrNotFound)
	}
	changeEmail := false
	if in.Email != nil {
		norm, nerr := core.NormalizeEmail(*in.Email)
		changeEmail = nerr != nil || norm != c.EmailNormalized
	}
	current := ""
	if in.CurrentPassword != nil {
		current = *in.CurrentPassword
	}
	if (changeEmail || in.Password != nil) && current == "" {
		return errCurrentPassword()
	}
	if in.Password != nil && in.PasswordConfirmation != nil && *in.PasswordConfirmation != *in.Password {
		return errConfirmation()
	}
	if changeEmail {
		err := a.svc.RequestEmailChange(ctx, sh, p, core.EmailChange{NewEmail: *in.Email, Password: current})
		if err != nil {
			return customerUpdateErr(err)
		}
	}
	if in.Password != nil {
		if err := a.svc.ChangePassword(ctx, sh, p, current, *in.Password); err != nil {
			return customerUpdateErr(err)
		}
	}
	u := core.ProfileUpdate{FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone,
		AcceptsEmailMarketing: in.AcceptsEmailMarketing, Metadata: in.Metadata}
	if u != (core.ProfileUpdate{}) {
		if c, err = a.svc.UpdateProfile(ctx, p, u); err != nil {
			return withFields(err, customerFields)
		}
	} else if c, err = a.svc.Customer(ctx, p); err != nil {
		return err
	}
	v, err := a.customerView(ctx, r, p, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func customerUpdateErr(err error) error {
	if core.CodeOf(err) == core.CodeCurrentPassword {
		return errCurrentPassword()
	}
	var ce *core.Error
	if errors.As(err, &ce) && errors.Is(err, core.ErrConflict) {
		return validationDetails(map[string][]string{"email": {"has already been taken"}}, []string{"email"})
	}
	return withFields(err, customerFields)
}
