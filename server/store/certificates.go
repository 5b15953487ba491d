package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/kalan-platform/kalan/server/certificate"
	"github.com/kalan-platform/kalan/server/training"
)

var _ training.Certificates = (*Store)(nil)

const collCertificates = "certificates"

// certificateDoc is an issued certificate, _id its serial. The payload is
// kept exactly as signed; the other fields are for queries and pages.
type certificateDoc struct {
	Serial       string    `bson:"_id"`
	UserID       string    `bson:"user_id"`
	Course       string    `bson:"course"`
	Version      string    `bson:"version"`
	Holder       string    `bson:"holder"`
	Title        string    `bson:"title"`
	Lang         string    `bson:"lang"`
	Completed    time.Time `bson:"completed"`
	Minutes      int       `bson:"minutes"`
	Organisation string    `bson:"organisation"`
	Issuer       string    `bson:"issuer"`
	Payload      []byte    `bson:"payload"`
	Signature    []byte    `bson:"signature"`
	IssuedAt     time.Time `bson:"issued_at"`
	RevokedAt    time.Time `bson:"revoked_at,omitempty"`
	Reason       string    `bson:"reason,omitempty"`
	RevokedBy    string    `bson:"revoked_by,omitempty"`
	// EarnedIn is absent from certificates issued before it was
	// recorded: a pointer tells that apart from an empty list.
	EarnedIn    *[]string `bson:"earned_in,omitempty"`
	WithdrawnAt time.Time `bson:"withdrawn_at,omitempty"`
}

func newCertificateDoc(c *training.Certificate) certificateDoc {
	d := certificateDoc{Serial: c.Serial, UserID: c.UserID, Course: c.Course, Version: c.Version, Holder: c.Holder,
		Title: c.Title, Lang: c.Lang, Completed: c.Completed, Minutes: c.Minutes, Organisation: c.Organisation,
		Issuer: c.Issuer, Payload: c.Payload, Signature: c.Signature, IssuedAt: c.IssuedAt}
	if c.EarnedIn != nil {
		earned := append([]string{}, c.EarnedIn...)
		d.EarnedIn = &earned
	}
	return d
}

// CreateCertificates stores many certificates in one round trip, for
// bulk loads (kalan seed).
func (s *Store) CreateCertificates(ctx context.Context, list []*training.Certificate) error {
	docs := make([]any, len(list))
	for i, c := range list {
		docs[i] = newCertificateDoc(c)
	}
	if _, err := s.db.Collection(collCertificates).InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("store: create certificates: %w", classify(err))
	}
	return nil
}

// CreateCertificate stores a certificate under its serial. One per person
// and course is the training service's rule: the serial is first claimed
// in the person's progress (SetCompleted).
func (s *Store) CreateCertificate(ctx context.Context, c *training.Certificate) error {
	_, err := s.db.Collection(collCertificates).InsertOne(ctx, newCertificateDoc(c))
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: create certificate: %w", training.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("store: create certificate: %w", classify(err))
	}
	return nil
}

func (d certificateDoc) certificate() *training.Certificate {
	c := &training.Certificate{
		Certificate: certificate.Certificate{Serial: d.Serial, Holder: d.Holder, Course: d.Course, Title: d.Title, Lang: d.Lang,
			Completed: d.Completed, Minutes: d.Minutes, Organisation: d.Organisation, Issuer: d.Issuer},
		UserID: d.UserID, Version: d.Version, Payload: d.Payload, Signature: d.Signature, IssuedAt: d.IssuedAt,
		RevokedAt: d.RevokedAt, Reason: d.Reason, RevokedBy: d.RevokedBy, WithdrawnAt: d.WithdrawnAt,
	}
	if d.EarnedIn != nil {
		c.EarnedIn = append([]string{}, *d.EarnedIn...)
	}
	return c
}

// CertificateBySerial returns a certificate by its serial.
func (s *Store) CertificateBySerial(ctx context.Context, serial string) (*training.Certificate, error) {
	d, found, err := findByID[certificateDoc](ctx, s, collCertificates, serial)
	if err != nil {
		return nil, fmt.Errorf("store: certificate: %w", err)
	}
	if !found {
		return nil, fmt.Errorf("store: certificate: %w", training.ErrNotFound)
	}
	return d.certificate(), nil
}

// RevokeCertificate revokes a certificate once; the first revocation's
// date and reason stay.
func (s *Store) RevokeCertificate(ctx context.Context, serial, reason, by string, at time.Time) error {
	_, err := s.updateIf(ctx, collCertificates, serial, bson.E{Key: "revoked_at", Value: bson.D{{Key: "$exists", Value: false}}},
		func(raw bson.Raw) bool { return !has(raw, "revoked_at") },
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked_at", Value: at.UTC()}, {Key: "reason", Value: reason}, {Key: "revoked_by", Value: by}}}})
	if err != nil {
		return fmt.Errorf("store: revoke certificate: %w", err)
	}
	return nil
}

// WithdrawCertificate removes the holder's name and organisation from a
// certificate, and the signed statement that carries them, when the
// holder deletes their account. Course, date and serial stay: /verify
// then says the certificate was withdrawn. Repeating it changes nothing.
func (s *Store) WithdrawCertificate(ctx context.Context, serial string, at time.Time) error {
	_, err := s.update(ctx, collCertificates, serial, bson.D{
		{Key: "$set", Value: bson.D{{Key: "holder", Value: ""}, {Key: "organisation", Value: ""}, {Key: "withdrawn_at", Value: at.UTC()}}},
		{Key: "$unset", Value: bson.D{{Key: "payload", Value: ""}, {Key: "signature", Value: ""}}},
	}, false)
	if err != nil {
		return fmt.Errorf("store: withdraw certificate: %w", err)
	}
	return nil
}
