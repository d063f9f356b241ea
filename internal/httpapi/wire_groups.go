package httpapi

import "github.com/clientele/clientele/internal/core"

// groupJSON is the admin customer-group resource.
type groupJSON struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description *string        `json:"description"`
	Metadata    map[string]any `json:"metadata"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
}

func toGroup(g core.CustomerGroup) groupJSON {
	md := g.Metadata
	if md == nil {
		md = map[string]any{}
	}
	return groupJSON{
		ID: g.ID, Name: g.Name, Description: nullable(g.Description), Metadata: md,
		CreatedAt: stamp(g.CreatedAt), UpdatedAt: stamp(g.UpdatedAt),
	}
}

// groupRequest is the POST /admin/v1/groups body.
type groupRequest struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Metadata    map[string]any `json:"metadata"`
}

func (r groupRequest) input() core.GroupInput {
	return core.GroupInput{Name: r.Name, Description: r.Description, Metadata: r.Metadata}
}

// groupPatchRequest is the PATCH /admin/v1/groups/{id} body.
type groupPatchRequest struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Metadata    *map[string]any `json:"metadata"`
}

func (r groupPatchRequest) patch() core.GroupPatch {
	return core.GroupPatch{Name: r.Name, Description: r.Description, Metadata: r.Metadata}
}

// customerGroupsRequest is the PUT /admin/v1/customers/{id}/groups body:
// the whole set of groups; [] takes the customer out of every group. The
// field is required, so a body that forgot it cannot clear them.
type customerGroupsRequest struct {
	GroupIDs *[]string `json:"group_ids"`
}
