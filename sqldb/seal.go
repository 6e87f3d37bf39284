package sqldb

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"waymark"
)

// Encryption at rest. A master key, held outside the database, wraps one data key per organisation
// (AES-256-GCM). Sensitive columns (free-text notes and narratives, contact details, two-step secrets)
// are sealed with the owning organisation's data key; the associated data binds each sealed value to
// its table, column and row, so a value copied into another row or column fails to open.
//
// A sealed value is: "wms1" | key version (4 bytes, big-endian) | 12-byte nonce | ciphertext+tag.

// MasterKeySize is the length of the master key in bytes.
const MasterKeySize = 32

var sealPrefix = []byte("wms1")

const keyCheckText = "waymark master key check"

type keyring struct {
	master cipher.AEAD
	mu     sync.RWMutex
	// keys caches unwrapped data keys: org ID -> version -> AEAD.
	keys map[string]map[int]cipher.AEAD
	// active is each organisation's newest key version.
	active map[string]int
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != MasterKeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), MasterKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// ErrKeyMismatch means the master key given does not match the database.
var ErrKeyMismatch = errors.New("the key file does not match this database: start Waymark with the key file this database was created with (--key-file)")

// openKeyring checks the master key against the database, storing a check value on first use.
func openKeyring(ctx context.Context, db *DB, master []byte) (*keyring, error) {
	if len(master) == 0 {
		return nil, errors.New("no master key: pass --key-file FILE (or WAYMARK_KEY_FILE); make one with `waymark key generate --out FILE`")
	}
	aead, err := newAEAD(master)
	if err != nil {
		return nil, fmt.Errorf("the master key is not valid: %v; make one with `waymark key generate --out FILE`", err)
	}
	kr := &keyring{master: aead, keys: map[string]map[int]cipher.AEAD{}, active: map[string]int{}}
	err = db.update(ctx, func(tx *Tx) error {
		var sealed []byte
		err := tx.QueryRowContext(ctx, `SELECT sealed FROM key_check WHERE id = 1`).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			// Another process opening the same new database at the same moment may store its check
			// first (PostgreSQL): keep whichever was stored, and check this key against it.
			if _, err = tx.ExecContext(ctx, `INSERT INTO key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`,
				sealWith(aead, 0, []byte(keyCheckText), []byte("key_check"))); err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `SELECT sealed FROM key_check WHERE id = 1`).Scan(&sealed)
		}
		if err != nil {
			return err
		}
		plain, err := openWith(aead, sealed, []byte("key_check"))
		if err != nil || string(plain) != keyCheckText {
			return ErrKeyMismatch
		}
		return nil
	})
	if errors.Is(err, ErrKeyMismatch) {
		return nil, ErrKeyMismatch
	}
	if err != nil {
		return nil, fmt.Errorf("cannot check the master key: %v", err)
	}
	return kr, nil
}

func sealWith(aead cipher.AEAD, version int, plain, ad []byte) []byte {
	out := make([]byte, 0, len(sealPrefix)+4+aead.NonceSize()+len(plain)+aead.Overhead())
	out = append(out, sealPrefix...)
	out = binary.BigEndian.AppendUint32(out, uint32(version))
	nonce := randomBytes(aead.NonceSize())
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, ad)
}

// sealedVersion reads the key version of a sealed value.
func sealedVersion(b []byte) (int, error) {
	if len(b) < len(sealPrefix)+4 || !bytes.HasPrefix(b, sealPrefix) {
		return 0, errors.New("not a sealed value")
	}
	return int(binary.BigEndian.Uint32(b[len(sealPrefix):])), nil
}

func openWith(aead cipher.AEAD, b, ad []byte) ([]byte, error) {
	if _, err := sealedVersion(b); err != nil {
		return nil, err
	}
	rest := b[len(sealPrefix)+4:]
	if len(rest) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("sealed value is truncated")
	}
	return aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], ad)
}

func wrapAD(orgID string, version int) []byte {
	return []byte("org_keys|" + orgID + "|" + strconv.Itoa(version))
}

func fieldAD(orgID, table, column, rowID string) []byte {
	return []byte(table + "|" + column + "|" + rowID + "|" + orgID)
}

// createOrgKey makes and stores a new data key version for an organisation.
func (kr *keyring) createOrgKey(ctx context.Context, tx *Tx, orgID string, version int) error {
	// Another process (`waymark key rotate`) may have replaced the master key since this one opened
	// the database: a data key wrapped with the old one would not open after a restart with the new.
	var check []byte
	if err := tx.QueryRowContext(ctx, `SELECT sealed FROM key_check WHERE id = 1`).Scan(&check); err != nil {
		return err
	}
	if plain, err := openWith(kr.master, check, []byte("key_check")); err != nil || string(plain) != keyCheckText {
		return fmt.Errorf("the master key was replaced while Waymark was running; restart it with the new key file: %w", ErrKeyMismatch)
	}
	key := randomBytes(32)
	wrapped := sealWith(kr.master, 0, key, wrapAD(orgID, version))
	if _, err := tx.ExecContext(ctx, `INSERT INTO org_keys (org_id, version, wrapped, created_at) VALUES ($1, $2, $3, $4)`,
		orgID, version, wrapped, tx.now); err != nil {
		return err
	}
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	// Cache only after commit would be stricter; a rolled-back key is never referenced by a stored value.
	kr.mu.Lock()
	if kr.keys[orgID] == nil {
		kr.keys[orgID] = map[int]cipher.AEAD{}
	}
	kr.keys[orgID][version] = aead
	if version > kr.active[orgID] {
		kr.active[orgID] = version
	}
	kr.mu.Unlock()
	return nil
}

// orgKey returns an organisation's data key of the given version (0 means the newest), loading and
// unwrapping it on first use.
func (kr *keyring) orgKey(ctx context.Context, q querier, orgID string, version int) (cipher.AEAD, int, error) {
	kr.mu.RLock()
	if version == 0 {
		version = kr.active[orgID]
	}
	aead := kr.keys[orgID][version]
	kr.mu.RUnlock()
	if aead != nil && version != 0 {
		return aead, version, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT version, wrapped FROM org_keys WHERE org_id = $1 ORDER BY version`, orgID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	loaded := map[int]cipher.AEAD{}
	newest := 0
	for rows.Next() {
		var v int
		var wrapped []byte
		if err := rows.Scan(&v, &wrapped); err != nil {
			return nil, 0, err
		}
		key, err := openWith(kr.master, wrapped, wrapAD(orgID, v))
		if err != nil {
			return nil, 0, fmt.Errorf("cannot unwrap the data key of an organisation: %w", ErrKeyMismatch)
		}
		if loaded[v], err = newAEAD(key); err != nil {
			return nil, 0, err
		}
		newest = max(newest, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	kr.mu.Lock()
	kr.keys[orgID] = loaded
	kr.active[orgID] = newest
	kr.mu.Unlock()
	if version == 0 {
		version = newest
	}
	if loaded[version] == nil {
		return nil, 0, fmt.Errorf("no data key version %d for organisation", version)
	}
	return loaded[version], version, nil
}

// querier is what both *sql.DB and *Tx offer for reads.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// seal encrypts a column value for a row; an empty value is stored as NULL.
func (tx *Tx) seal(ctx context.Context, orgID, table, column, rowID, plain string) (any, error) {
	if plain == "" {
		return nil, nil
	}
	aead, version, err := tx.db.keys.orgKey(ctx, tx, orgID, 0)
	if err != nil {
		return nil, err
	}
	return sealWith(aead, version, []byte(plain), fieldAD(orgID, table, column, rowID)), nil
}

// open decrypts a sealed column value read from a row; NULL opens to "".
func (tx *Tx) open(ctx context.Context, orgID, table, column, rowID string, sealed []byte) (string, error) {
	if sealed == nil {
		return "", nil
	}
	version, err := sealedVersion(sealed)
	if err != nil {
		return "", fmt.Errorf("%s.%s: %w", table, column, err)
	}
	aead, _, err := tx.db.keys.orgKey(ctx, tx, orgID, version)
	if err != nil {
		return "", err
	}
	plain, err := openWith(aead, sealed, fieldAD(orgID, table, column, rowID))
	if err != nil {
		return "", fmt.Errorf("cannot open %s.%s of a row: it was altered or moved", table, column)
	}
	return string(plain), nil
}

// RotateMasterKey re-wraps every organisation's data keys with a new master key and replaces the key
// check, in one transaction. Sealed values need no change: their data keys are the same. After it
// returns, the database opens only with the new key.
func (db *DB) RotateMasterKey(ctx context.Context, newMaster []byte) (int, error) {
	newAead, err := newAEAD(newMaster)
	if err != nil {
		return 0, fmt.Errorf("the new master key is not valid: %v", err)
	}
	n := 0
	err = db.update(ctx, func(tx *Tx) error {
		type row struct {
			org     string
			version int
			wrapped []byte
		}
		var all []row
		rows, err := tx.QueryContext(ctx, `SELECT org_id, version, wrapped FROM org_keys ORDER BY org_id, version`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.org, &r.version, &r.wrapped); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range all {
			key, err := openWith(db.keys.master, r.wrapped, wrapAD(r.org, r.version))
			if err != nil {
				return fmt.Errorf("cannot unwrap a data key with the current master key: %w", ErrKeyMismatch)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE org_keys SET wrapped = $1 WHERE org_id = $2 AND version = $3`,
				sealWith(newAead, 0, key, wrapAD(r.org, r.version)), r.org, r.version); err != nil {
				return err
			}
			n++
		}
		if _, err := tx.ExecContext(ctx, `UPDATE key_check SET sealed = $1 WHERE id = 1`, sealWith(newAead, 0, []byte(keyCheckText), []byte("key_check"))); err != nil {
			return err
		}
		return tx.audit(ctx, waymark.SystemActor(), &waymark.AuditEntry{Action: waymark.AuditKeysRotated, Detail: fmt.Sprintf("%d data keys re-wrapped", n)})
	})
	if err != nil {
		return 0, err
	}
	db.keys.mu.Lock()
	db.keys.master = newAead
	db.keys.mu.Unlock()
	return n, nil
}
