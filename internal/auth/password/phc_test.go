package password

import (
	"errors"
	"strings"
	"testing"
)

func TestVerifyMalformed(t *testing.T) {
	const (
		salt16 = "Y2xpZW50ZWxlLXNhbHQxNg"                      // 16 bytes
		hash32 = "vRGs4DaLRHdWS73II6rRBTeUxp7xF+HGaUhvw0fkjGQ" // 32 bytes
	)
	phc := func(alg, version, params, salt, hash string) string {
		return "$" + alg + "$" + version + "$" + params + "$" + salt + "$" + hash
	}
	valid := phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, hash32)
	// Sanity: the base string is a real hash of this password, so every row
	// below fails because of its one change.
	if ok, _, err := testHasher.Verify("correct horse battery staple", valid); !ok || err != nil {
		t.Fatalf("base vector does not verify: %v, %v", ok, err)
	}

	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", ErrUnknownFormat},
		{"plain text", "correct horse battery staple", ErrUnknownFormat},
		// bcrypt and argon2i are legacy formats, verified in legacy_test.go.
		{"sha-512 crypt", "$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc.eoxqOmSuNp2xS0ktL3nh/", ErrUnknownFormat},
		{"argon2d", phc("argon2d", "v=19", "m=64,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"upper-case alg", phc("ARGON2ID", "v=19", "m=64,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"v=16", phc("argon2id", "v=16", "m=64,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"v=019", phc("argon2id", "v=019", "m=64,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"no version", "$argon2id$m=64,t=1,p=1$" + salt16 + "$" + hash32, ErrUnknownFormat},
		{"no hash", "$argon2id$v=19$m=64,t=1,p=1$" + salt16, ErrUnknownFormat},
		{"empty hash", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, ""), ErrParamsOutOfBounds},
		{"extra field", valid + "$" + hash32, ErrUnknownFormat},
		{"trailing dollar", valid + "$", ErrUnknownFormat},
		{"leading space", " " + valid, ErrUnknownFormat},
		{"trailing newline", valid + "\n", ErrUnknownFormat},
		{"params reordered", phc("argon2id", "v=19", "t=1,m=64,p=1", salt16, hash32), ErrUnknownFormat},
		{"param missing", phc("argon2id", "v=19", "m=64,t=1", salt16, hash32), ErrUnknownFormat},
		{"param extra", phc("argon2id", "v=19", "m=64,t=1,p=1,keyid=abc", salt16, hash32), ErrUnknownFormat},
		{"param empty", phc("argon2id", "v=19", "m=,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"param not a number", phc("argon2id", "v=19", "m=abc,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"param signed", phc("argon2id", "v=19", "m=+64,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"param leading zero", phc("argon2id", "v=19", "m=064,t=1,p=1", salt16, hash32), ErrUnknownFormat},
		{"param spaces", phc("argon2id", "v=19", "m=64, t=1, p=1", salt16, hash32), ErrUnknownFormat},
		{"bad base64 salt", phc("argon2id", "v=19", "m=64,t=1,p=1", "!!!!not-base64!!!!", hash32), ErrUnknownFormat},
		{"url-safe base64", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, strings.NewReplacer("+", "-", "/", "_").Replace(hash32)), ErrUnknownFormat},
		{"padded base64", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16+"==", hash32), ErrUnknownFormat},
		{"newline inside base64", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16[:10]+"\n"+salt16[10:], hash32), ErrUnknownFormat},
		{"non-zero trailing bits", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16[:21]+"h", hash32), ErrUnknownFormat},
		{"huge m", phc("argon2id", "v=19", "m=4294967295,t=1,p=1", salt16, hash32), ErrParamsOutOfBounds},
		{"m just over 1 GiB", phc("argon2id", "v=19", "m=1048577,t=1,p=1", salt16, hash32), ErrParamsOutOfBounds},
		{"m overflows 64 bits", phc("argon2id", "v=19", "m=99999999999999999999999,t=1,p=1", salt16, hash32), ErrParamsOutOfBounds},
		{"m below 8 per lane", phc("argon2id", "v=19", "m=15,t=1,p=2", salt16, hash32), ErrParamsOutOfBounds},
		{"t=0", phc("argon2id", "v=19", "m=64,t=0,p=1", salt16, hash32), ErrParamsOutOfBounds},
		{"t=21", phc("argon2id", "v=19", "m=64,t=21,p=1", salt16, hash32), ErrParamsOutOfBounds},
		{"p=0", phc("argon2id", "v=19", "m=64,t=1,p=0", salt16, hash32), ErrParamsOutOfBounds},
		{"p=17", phc("argon2id", "v=19", "m=1024,t=1,p=17", salt16, hash32), ErrParamsOutOfBounds},
		{"p=257 wraps uint8", phc("argon2id", "v=19", "m=4096,t=1,p=257", salt16, hash32), ErrParamsOutOfBounds},
		{"salt 4 bytes", phc("argon2id", "v=19", "m=64,t=1,p=1", "c2FsdA", hash32), ErrParamsOutOfBounds},
		{"salt 65 bytes", phc("argon2id", "v=19", "m=64,t=1,p=1", b64.EncodeToString(make([]byte, 65)), hash32), ErrParamsOutOfBounds},
		{"hash 8 bytes", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, "aGFzaGhhc2g"), ErrParamsOutOfBounds},
		{"hash 65 bytes", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, b64.EncodeToString(make([]byte, 65))), ErrParamsOutOfBounds},
		{"hash 1 MiB", phc("argon2id", "v=19", "m=64,t=1,p=1", salt16, strings.Repeat("A", 1<<20)), ErrParamsOutOfBounds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := testHasher.Verify("correct horse battery staple", tt.encoded)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			if ok || rehash {
				t.Fatalf("Verify = %v, %v with an error; want false, false", ok, rehash)
			}
		})
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		params Params
		ok     bool
	}{
		{"default", DefaultParams(), true},
		{"test", TestParams(), true},
		{"zero", Params{}, false},
		{"upper bounds", Params{Memory: 1 << 20, Time: 20, Threads: 16, SaltLen: 64, KeyLen: 64}, true},
		{"lower bounds", Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}, true},
		{"memory over 1 GiB", Params{Memory: 1<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, false},
		{"memory under 8 per lane", Params{Memory: 31, Time: 1, Threads: 4, SaltLen: 16, KeyLen: 32}, false},
		{"time 0", Params{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32}, false},
		{"time 21", Params{Memory: 64, Time: 21, Threads: 1, SaltLen: 16, KeyLen: 32}, false},
		{"threads 0", Params{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32}, false},
		{"threads 17", Params{Memory: 1024, Time: 1, Threads: 17, SaltLen: 16, KeyLen: 32}, false},
		{"salt 7", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 7, KeyLen: 32}, false},
		{"salt 65", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 65, KeyLen: 32}, false},
		{"key 15", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 15}, false},
		{"key 65", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 65}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.params.Validate()
			if tt.ok && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrParamsOutOfBounds) {
				t.Fatalf("Validate() = %v, want ErrParamsOutOfBounds", err)
			}
		})
	}
}
