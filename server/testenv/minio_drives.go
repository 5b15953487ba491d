package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// StartMinIODrives starts a MinIO server erasure-coded over n drives
// (directories), as production runs it. With 4 drives, losing 2 leaves
// reads working (read quorum) and every write refused (write quorum):
// RemoveDrives produces that fault for real.
func StartMinIODrives(n int) (*MinIO, error) {
	bin, err := findMinIO()
	if err != nil {
		return nil, err
	}
	apiAddr, err := freeAddr()
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	consoleAddr, err := freeAddr()
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	dir, err := os.MkdirTemp("", "kalan-minio-drives-*")
	if err != nil {
		return nil, fmt.Errorf("testenv: minio: %w", err)
	}
	m := &MinIO{
		Endpoint:  apiAddr,
		AccessKey: "kalan-" + randomHex(6),
		SecretKey: randomHex(20),
		dir:       dir,
		log:       &lockedBuffer{},
		done:      make(chan struct{}),
	}
	// MinIO's ellipsis notation: drive1 … driveN.
	drives := filepath.Join(dir, fmt.Sprintf("drive{1...%d}", n))
	m.cmd = exec.Command(bin, "server", drives,
		"--address", apiAddr,
		"--console-address", consoleAddr,
		"--certs-dir", filepath.Join(dir, "certs"),
		"--quiet")
	m.cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+m.AccessKey,
		"MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"MINIO_CI_CD=on", // drives on the root disk are fine in a test
	)
	m.cmd.Stdout = m.log
	m.cmd.Stderr = m.log
	if err := m.cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("testenv: start %s: %w", bin, err)
	}
	go func() {
		_ = m.cmd.Wait()
		close(m.done)
	}()
	if err := m.waitReady(minioReadyTimeout); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

// RemoveDrives deletes the first k drives of a server started by
// StartMinIODrives, as a failed disk would lose them.
func (m *MinIO) RemoveDrives(k int) error {
	for i := 1; i <= k; i++ {
		if err := os.RemoveAll(filepath.Join(m.dir, fmt.Sprintf("drive%d", i))); err != nil {
			return err
		}
	}
	return nil
}
