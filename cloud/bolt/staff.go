package bolt

import (
	"github.com/kasir/pos/app"
	"github.com/kasir/pos/cloud"
)

// keyStaff holds the shop's staff list (storedStaff JSON), a plain key
// beside the sub-buckets like keyPolicy.
var keyStaff = []byte("staff")

func (t *shopTx) Staff() ([]app.Staff, error) {
	v := t.b.Get(keyStaff)
	if v == nil {
		return nil, nil
	}
	return cloud.DecodeStaff(v)
}

func (t *shopTx) PutStaff(list []app.Staff) error {
	data, err := cloud.EncodeStaff(list)
	if err != nil {
		return err
	}
	return t.b.Put(keyStaff, data)
}
