package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// FerretDBVersion asks the server at uri what it is (buildInfo) and
// returns FerretDB's version when it is FerretDB, "" when it is not.
// FerretDB 1.x applies a filtered update, $inc or $addToSet by reading
// the document, changing it and writing it back without a lock: with two
// writers at once one acknowledged write can be lost, which is why serve
// refuses it unless it is the only instance (see Config.SingleInstance).
func FerretDBVersion(ctx context.Context, uri string) (string, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri).SetAppName("kalan").
		SetServerSelectionTimeout(3 * time.Second).SetConnectTimeout(3 * time.Second))
	if err != nil {
		return "", fmt.Errorf("store: connect: %w", err)
	}
	defer func() { _ = client.Disconnect(context.WithoutCancel(ctx)) }()
	raw, err := client.Database("admin").RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Raw()
	if err != nil {
		return "", fmt.Errorf("store: buildInfo: %w", classify(err))
	}
	return ferretDBVersionOf(raw), nil
}

// ferretDBVersionOf reads FerretDB's own field of a buildInfo reply.
func ferretDBVersionOf(reply bson.Raw) string {
	v, err := reply.LookupErr("ferretdbVersion")
	if err != nil {
		return "" // no such field: not FerretDB
	}
	if s, ok := v.StringValueOK(); ok && s != "" {
		return s
	}
	return "unknown" // FerretDB all the same
}
