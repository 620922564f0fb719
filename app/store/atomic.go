package store

import (
	"fmt"
	"os"
	"path/filepath"
)

// write replaces the bucket file atomically: temp file in the same
// directory, fsync, rename over the old file, fsync the directory so the
// rename itself survives a power cut.
func (s *FileStore) write(bucket string, items map[string][]byte) error {
	data, err := encodeBucket(items)
	if err != nil {
		return fmt.Errorf("encode bucket: %w", err)
	}
	return writeAtomic(s.dir, bucket+fileSuffix, data)
}

func writeAtomic(dir, name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(dir, tempPrefix+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temp file in %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	target := filepath.Join(dir, name)
	if err = os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("rename %s to %s: %w", tmp.Name(), target, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
