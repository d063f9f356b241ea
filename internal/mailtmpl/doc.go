// Package mailtmpl decides how Clientele's mail looks. Core decides what is
// sent and fills [core.MailVars]; this package renders the subject, a text
// part (text/template) and an HTML part (html/template, so every value is
// escaped for its context) from a store's own template or the built-in
// default, and [Renderer] does so in front of the real sink.
package mailtmpl
