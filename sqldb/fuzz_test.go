package sqldb

import "testing"

// FuzzCheckPassword feeds stored hashes that might be corrupt: nothing panics or accepts.
func FuzzCheckPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "pw")
	f.Add("$argon2id$v=19$m=0,t=0,p=0$$", "")
	f.Add("garbage", "pw")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if checkPassword(hash, pw) {
			t.Errorf("hash %q accepted %q", hash, pw)
		}
	})
}

// FuzzOpenSealed feeds arbitrary bytes where a sealed value is expected: they never open.
func FuzzOpenSealed(f *testing.F) {
	aead, err := newAEAD([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealWith(aead, 1, []byte("notes"), []byte("ad")))
	f.Add([]byte("wms1"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := openWith(aead, b, []byte("other ad")); err == nil {
			t.Errorf("%x opened with the wrong associated data", b)
		}
		sealedVersion(b)
	})
}
