// Package core holds Clientele's domain: stores and their keys, customers,
// credentials, sessions and tokens, password resets and profiles.
//
// Core owns every validation, normalisation and security decision. It imports
// neither net/http nor database/sql: the HTTP surfaces translate wire formats
// into calls on [Service], and storage backends implement [Store]. Time,
// randomness, hashing, signing, mail and rate limiting reach core through the
// small ports declared in ports.go, so tests can make them deterministic.
package core
