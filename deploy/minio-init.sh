#!/bin/sh
# One-shot set-up of MinIO for Kalan; safe to run again. Run by the minio-init
# service of compose.yaml (image minio/mc). Creates the bucket and a MinIO user
# that can use only that bucket, so Kalan never holds the root credentials.
set -eu

# "mc alias set" checks the credentials against the server: retry until up.
i=0
until mc alias set kalan http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 60 ] || { echo "minio-init: MinIO not reachable" >&2; exit 1; }
  sleep 2
done

mc mb --ignore-existing "kalan/$KALAN_S3_BUCKET"

# Objects stay private: Kalan serves downloads itself (Range, ETag).
printf '%s\n' '{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow",
     "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::'"$KALAN_S3_BUCKET"'"]},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::'"$KALAN_S3_BUCKET"'/*"]}
  ]
}' > /tmp/kalan-policy.json
mc admin policy create kalan kalan-rw /tmp/kalan-policy.json
mc admin user add kalan "$KALAN_S3_ACCESS_KEY" "$KALAN_S3_SECRET_KEY"
case "$(mc admin user info kalan "$KALAN_S3_ACCESS_KEY")" in
  *kalan-rw*) ;; # already attached
  *) mc admin policy attach kalan kalan-rw --user "$KALAN_S3_ACCESS_KEY" ;;
esac
echo "minio-init: bucket $KALAN_S3_BUCKET and user $KALAN_S3_ACCESS_KEY ready"
