package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/clientele/clientele/internal/core"
)

const sfccUsage = `usage: clientele stores sfcc --store ID --org-id f_ecom_xxxx_yyy --client-id ID [--site-id ID]... [--redirect-uri URI]... [--callback-uri URI]... [--json]
       clientele stores sfcc --store ID --remove`

// storesSFCC binds a store to a Salesforce Commerce Cloud organization id,
// its site ids and one SLAS client (replacing any binding), or removes the
// binding. Binding the oldest store turns its dev defaults off.
func storesSFCC(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		store, org, client string
		sites, redirects   multiFlag
		callbacks          multiFlag
		remove, asJSON     bool
	)
	cfg, err := parseConfig("stores sfcc", args, getenv, stderr, false, func(fs *flag.FlagSet) {
		fs.StringVar(&store, "store", "", "store id (sto_…; required)")
		fs.StringVar(&org, "org-id", "", "SFCC organization id, f_ecom_xxxx_yyy")
		fs.StringVar(&client, "client-id", "", "SLAS client id")
		fs.Var(&sites, "site-id", "site (channel) id (repeatable; default RefArch)")
		fs.Var(&redirects, "redirect-uri", "redirect URI of the client (repeatable)")
		fs.Var(&callbacks, "callback-uri", "password-reset callback URI of the client (repeatable)")
		fs.BoolVar(&remove, "remove", false, "remove the store's binding")
		fs.BoolVar(&asJSON, "json", false, "print one JSON object")
	})
	if err != nil {
		return err
	}
	if store == "" || (!remove && org == "") {
		return errors.New(sfccUsage)
	}
	svc, closeFn, err := openService(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer closeFn()
	if remove {
		if err := svc.DeleteSFCCBinding(ctx, store); err != nil {
			return fmt.Errorf("remove the binding of %s: %w", store, err)
		}
		fmt.Fprintf(stdout, "store %s has no SFCC binding now\n", store)
		return nil
	}
	b := core.SFCCBinding{OrganizationID: org, SiteIDs: sites}
	if client != "" {
		b.Clients = []core.SFCCClient{{ClientID: client, RedirectURIs: redirects, CallbackURIs: callbacks}}
	}
	out, err := svc.SetSFCCBinding(ctx, store, b)
	if err != nil {
		return describe(err)
	}
	if asJSON {
		clients := []string{}
		for _, c := range out.Clients {
			clients = append(clients, c.ClientID)
		}
		return json.NewEncoder(stdout).Encode(map[string]any{
			"store": store, "organization_id": out.OrganizationID, "site_ids": out.SiteIDs, "client_ids": clients,
		})
	}
	fmt.Fprintf(stdout, "store %s answers SFCC organization %s (sites %s)\n", store, out.OrganizationID, strings.Join(out.SiteIDs, ", "))
	return nil
}
