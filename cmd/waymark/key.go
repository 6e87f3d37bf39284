package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
)

func runKey(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "Usage: waymark key generate --out FILE\n       waymark key rotate --new-key-file FILE [database flags]")
		return errors.New("say what to do: generate or rotate")
	}
	switch args[0] {
	case "generate":
		fs := newFlagSet("key generate", "write a new random master key to a file", e)
		out := fs.String("out", "", "file to write the key to (must not exist)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return errors.New("say where to write the key: --out FILE")
		}
		return writeNewKey(*out)
	case "rotate":
		fs := newFlagSet("key rotate", "re-wrap every organisation's data key with a new master key", e)
		var f dbFlags
		f.register(fs, e)
		newKeyFile := fs.String("new-key-file", "", "file holding the new master key (make one with `waymark key generate`)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *newKeyFile == "" {
			return errors.New("say which key to rotate to: --new-key-file FILE")
		}
		newKey, err := readKeyFile(*newKeyFile)
		if err != nil {
			return err
		}
		db, _, err := f.connect(ctx, e)
		if err != nil {
			return err
		}
		defer db.Close()
		n, err := db.RotateMasterKey(ctx, newKey)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Rotated: %d data keys re-wrapped. From now on start Waymark with --key-file %s, and keep the old key file until you have a backup taken after this change.\n", n, *newKeyFile)
		return nil
	case "-h", "--help":
		fmt.Fprintln(e.stdout, "Usage: waymark key generate --out FILE\n       waymark key rotate --new-key-file FILE [database flags]")
		return nil
	}
	return fmt.Errorf("unknown key command %q: use generate or rotate", args[0])
}

// writeNewKey writes a new random key, readable only by its owner, refusing to overwrite a file.
func writeNewKey(path string) error {
	b := make([]byte, 32)
	rand.Read(b)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: a key file is never overwritten; choose another name", path)
		}
		return fmt.Errorf("cannot create the key file: %v", unwrapPath(err))
	}
	if _, err := fmt.Fprintln(f, hex.EncodeToString(b)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
