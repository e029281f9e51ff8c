"""Writes items of aws-vault's "file" keyring as aws-vault does (99designs/keyring file.go: one file per item,
named with `%` and `/` percent-encoded; a JWE in compact serialization with PBES2-HS256+A128KW key wrapping and
A256GCM content encryption, p2c 8192 and a 12-byte p2s as jose2go writes it; the plaintext a keyring.Item whose
Data is the JSON of Go's aws.Credentials or, for sessions, of sts Credentials).

Built from RFC 7516/7518 on the `cryptography` package's PBKDF2, AES key wrap and AES-GCM only: a test oracle
independent of swrole's reader (src/keyring/aws-vault-file.ts).

Usage: python3 write-aws-vault-file.py DIR < items.json
  items.json: [{"key": NAME, "credentials": {...}} ...]; the passphrase in AWS_VAULT_FILE_PASSPHRASE.
"""
import base64
import json
import os
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

ALG = "PBES2-HS256+A128KW"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwe(payload: bytes, passphrase: str, p2c: int = 8192) -> str:
    p2s = os.urandom(12)
    # Go's json.Marshal of jose2go's header map: keys sorted, no spaces.
    header = {"alg": ALG, "created": "2026-11-26 15:00:00.000000001 +0000 UTC m=+0.012", "enc": "A256GCM", "p2c": p2c, "p2s": b64url(p2s)}
    protected = b64url(json.dumps(header, separators=(",", ":"), sort_keys=True).encode())
    kek = PBKDF2HMAC(algorithm=hashes.SHA256(), length=16, salt=ALG.encode() + b"\0" + p2s, iterations=p2c).derive(passphrase.encode())
    cek = os.urandom(32)
    iv = os.urandom(12)
    sealed = AESGCM(cek).encrypt(iv, payload, protected.encode("ascii"))
    return ".".join([protected, b64url(aes_key_wrap(kek, cek)), b64url(iv), b64url(sealed[:-16]), b64url(sealed[-16:])])


def item(key: str, data: dict, label: str) -> bytes:
    value = {
        "Key": key,
        "Data": base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode("ascii"),
        "Label": label,
        "Description": "",
        "KeychainNotTrustApplication": True,
        "KeychainNotSynchronizable": False,
    }
    return json.dumps(value, separators=(",", ":")).encode()


def main() -> None:
    directory = sys.argv[1]
    passphrase = os.environ["AWS_VAULT_FILE_PASSPHRASE"]
    os.makedirs(directory, mode=0o700, exist_ok=True)
    for spec in json.load(sys.stdin):
        key = spec["key"]
        label = spec.get("label", f"aws-vault ({key})")
        name = key.replace("%", "%25").replace("/", "%2F")
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            f.write(jwe(item(key, spec["credentials"], label), spec.get("passphrase", passphrase)))
        os.chmod(path, 0o600)
        print(name)


if __name__ == "__main__":
    main()
