package testenv

import (
	"fmt"
	"os"
	"path/filepath"
)

// StartMinIODrives starts a MinIO server erasure-coded over n drives
// (directories), as production runs it. With 4 drives, losing 2 leaves
// reads working (read quorum) and every write refused (write quorum):
// RemoveDrives produces that fault for real.
func StartMinIODrives(n int) (*MinIO, error) { return startMinIO(n) }

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
