package password

import "testing"

// ImportableHash tells an over-bound cost from an unknown format, which
// import reports as different reasons.
func TestImportableHash(t *testing.T) {
	h := New(TestParams())
	tests := []struct {
		name, hash     string
		ok, outOfBound bool
	}{
		{"bcrypt", "$2a$10$waX2h0Te0AHp17Kc.ra4gOK7VCEIKofp0R2Issz1oP9JWTzChAIL6", true, false},
		{"own argon2id", h.DummyHash(), true, false},
		{"bcrypt cost 13", "$2y$13$VzxqWlMVch/e84bGby0QfuDYbtvcvGpwG4Ifs0zfMaX/3qJMVyICG", false, true},
		{"pbkdf2 5M rounds", "pbkdf2_sha256$5000000$saltsalt$DBTzdecs0kdveRujlETOrO3OAnXblydb9Or4DLvsH6o=", false, true},
		{"md5", "5f4dcc3b5aa765d61d8327deb882cf99", false, false},
		{"empty", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			oob, err := h.ImportableHash(tt.hash)
			if (err == nil) != tt.ok || oob != tt.outOfBound {
				t.Fatalf("outOfBounds %v, err %v; want ok %v, outOfBounds %v", oob, err, tt.ok, tt.outOfBound)
			}
		})
	}
}
