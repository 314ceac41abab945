package cloud

import "github.com/kasir/pos/app"

// keyStaff holds the shop's staff list (storedStaff JSON), a plain key
// beside the sub-buckets like keyPolicy.
var keyStaff = []byte("staff")

func (t *boltShopTx) Staff() ([]app.Staff, error) {
	v := t.b.Get(keyStaff)
	if v == nil {
		return nil, nil
	}
	return DecodeStaff(v)
}

func (t *boltShopTx) PutStaff(list []app.Staff) error {
	data, err := EncodeStaff(list)
	if err != nil {
		return err
	}
	return t.b.Put(keyStaff, data)
}
