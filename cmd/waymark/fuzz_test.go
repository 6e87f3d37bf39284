package main

import "testing"

// FuzzParseKey feeds key files: only 32 bytes written as hexadecimal are accepted.
func FuzzParseKey(f *testing.F) {
	f.Add([]byte("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"))
	f.Add([]byte("zz"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if key, ok := parseKey(b); ok && len(key) != 32 {
			t.Errorf("accepted a %d-byte key", len(key))
		}
	})
}
