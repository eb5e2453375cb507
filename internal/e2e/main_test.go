package e2e

import (
	"os"
	"testing"

	"github.com/deployless/deployless/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.RunWithTempCache(m)) }
