package secrets

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// recorder records DeleteParameters batch sizes. moto accepts any batch
// size, AWS at most 10, so this limit is proven here rather than against moto.
type recorder struct {
	SSM
	batches []int
}

func (r *recorder) DeleteParameters(_ context.Context, in *ssm.DeleteParametersInput, _ ...func(*ssm.Options)) (*ssm.DeleteParametersOutput, error) {
	if len(in.Names) > DeleteBatch {
		return nil, fmt.Errorf("ValidationException: %d names", len(in.Names))
	}
	r.batches = append(r.batches, len(in.Names))
	return &ssm.DeleteParametersOutput{DeletedParameters: in.Names}, nil
}

func TestDeleteBatchesOfTen(t *testing.T) {
	var names []string
	for i := 0; i < 23; i++ {
		names = append(names, fmt.Sprintf("/app/SECRET_%02d", i))
	}
	r := &recorder{}
	if err := Delete(context.Background(), r, "app", names); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(r.batches) != "[10 10 3]" {
		t.Errorf("batches = %v, want [10 10 3]", r.batches)
	}
	if err := Delete(context.Background(), r, "app", []string{"/other/SECRET_X"}); err == nil {
		t.Error("deleting outside the project's prefix must be refused")
	}
}
