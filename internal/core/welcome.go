package core

import "context"

// sendWelcome queues the welcome mail to a customer who has just created
// their own account with a password, unless the store turned it off. It
// runs after the commit, so a rolled-back sign-up greets nobody, and send
// only logs a full queue, so the greeting can never fail the sign-up.
// Accounts made for the customer (import, seed, admin) get none: nobody
// there chose a password to be welcomed with.
func (s *Service) sendWelcome(ctx context.Context, sh *Shop, c *Customer) {
	if s.settings(sh).WelcomeMailOff {
		return
	}
	s.send(ctx, Message{
		To: c.Email, Kind: "welcome", Subject: "Welcome to " + sh.Name,
		ShopID: sh.ID, Vars: &MailVars{ShopName: sh.Name},
		Text: "Welcome to " + sh.Name + "! Your account is ready: sign in with this e-mail address and the password you chose.\n\n" +
			"If you did not create this account, contact the store.\n",
	})
}
