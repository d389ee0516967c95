"""The recovery key escrowed with the province (issue 13): sealed on the counter to the province's
public key, kept by a server that cannot open it, opened with the private key the province keeps
offline, and good for bringing a counter back."""

from __future__ import annotations

import json

import keyring
import pytest

from counter_app.core import escrow
from counter_app.storage import cipher
from provincial_server.service import ServerError
from tests.sync.test_cli_sync import server_cli


def keygen(province, path) -> str:
    result = server_cli(province, "escrow", "keygen", "--out", str(path), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["public_key"]


def test_the_key_goes_sealed_to_the_province_and_comes_back_as_the_recovery_key(province, make_counter, tmp_path):
    counter = make_counter(province)
    app = counter.app
    assert app.encrypted
    assert not counter.sync().escrowed  # nothing published yet: nothing sent
    private = tmp_path / "province-escrow.pem"
    public = keygen(province, private)
    assert (private.stat().st_mode & 0o777) == 0o600 and public not in private.read_text()
    province.service.publish("settings", {"escrow_public_key": public})
    report = counter.sync()
    assert report.ok and report.escrowed
    assert not counter.sync().escrowed  # once per public key

    _, device = app.outbox.identity()
    key = cipher.load_key(app.db.path)
    sealed = province.service.escrowed_key(device)
    assert key.hex() not in sealed and escrow.recovery_text(key) not in sealed  # the server cannot read it
    opened = server_cli(province, "escrow", "open", "--device", str(device), "--private-key", str(private), "--json")
    assert opened.returncode == 0, opened.stderr
    recovery = json.loads(opened.stdout)["recovery_key"]
    assert escrow.key_from_recovery(recovery) == key

    data_dir = app.data_dir
    counter.close()
    keyring.get_keyring().delete_password(cipher.KEY_SERVICE, f"database:{app.db.path.resolve()}")
    cipher._cache.clear()
    from counter_app.startup import recover_key

    recover_key(data_dir, recovery)  # the counter's own printout was lost too: the province's copy does it
    assert cipher.load_key(app.db.path) == key


def test_a_new_province_key_is_escrowed_again_and_the_wrong_private_key_opens_nothing(province, make_counter,
                                                                                      tmp_path):
    counter = make_counter(province)
    first, second = tmp_path / "2026.pem", tmp_path / "2027.pem"
    province.service.publish("settings", {"escrow_public_key": keygen(province, first)})
    assert counter.sync().escrowed
    province.service.publish("settings", {"escrow_public_key": keygen(province, second)})
    assert counter.sync().escrowed  # sealed again to the new key
    _, device = counter.app.outbox.identity()
    refused = server_cli(province, "escrow", "open", "--device", str(device), "--private-key", str(first))
    assert refused.returncode == 2 and "không mở được" in refused.stderr
    assert server_cli(province, "escrow", "open", "--device", str(device), "--private-key", str(second)).returncode == 0


def test_a_malformed_public_key_is_refused_at_the_province(province):
    with pytest.raises(ServerError):
        province.service.publish("settings", {"escrow_public_key": "không-phải-khóa"})


def test_the_server_refuses_a_box_that_is_not_one(province, make_counter):
    from counter_app.sync.transport import SyncFailure

    counter = make_counter(province)
    with pytest.raises(SyncFailure) as refused:
        counter.engine.client.escrow(json.dumps({"format": "counter_app.escrow/1", "to": "x"}))
    assert refused.value.status == 422
