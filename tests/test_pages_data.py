"""/data: an upload is checked line by line, refused into the demo store, imported into a real one."""

from __future__ import annotations

import pytest
from pages_helpers import assert_clean, page_text, run_page

from loaders.store import Store


def _roster(files):
    return sorted((files / "roster").glob("roster_*.csv"))[-1]


@pytest.fixture()
def real_store(tmp_path, page_sample_files, monkeypatch):
    store = Store(tmp_path / "real")
    store.set_facility(page_sample_files / "facility.toml")
    store.import_file(sorted((page_sample_files / "roster").glob("roster_*.csv"))[0], kind="population")
    monkeypatch.setenv("POPDASH_STORE", str(store.path))
    return store


def _upload(at, name, raw):
    at.get("file_uploader")[0].set_value((name, raw, "text/csv"))
    return at.run()


def test_snapshot_list_shows_sources_and_checksums(page_store, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))
    at = run_page("data")
    assert_clean(at)
    snaps = at.dataframe[-1].value
    assert {"kind", "source_name", "SHA-256" if "SHA-256" in snaps.columns else "sha256"} & set(snaps.columns)
    assert len(snaps) == len(Store(page_store).snapshots())


def test_upload_into_demo_store_is_refused_with_a_sentence(page_store, page_sample_files, monkeypatch):
    monkeypatch.setenv("POPDASH_STORE", str(page_store))
    f = _roster(page_sample_files)
    at = _upload(run_page("data"), f.name, f.read_bytes())
    assert_clean(at)
    text = page_text(at)
    assert "demo store" in text
    assert not [b for b in at.button if "Import" in str(b.label)]
    before = len(Store(page_store).snapshots())
    assert len(Store(page_store).snapshots()) == before


def test_clean_upload_imports(real_store, page_sample_files):
    f = _roster(page_sample_files)
    at = _upload(run_page("data"), f.name, f.read_bytes())
    assert_clean(at)
    assert "Every row was accepted." in page_text(at)
    button = next(b for b in at.button if "Import" in str(b.label))
    at = button.click().run()
    assert_clean(at)
    assert len(real_store.as_of_dates("population")) == 2
    assert any("import" in str(s.value).lower() for s in at.success)


def test_upload_with_rejects_needs_the_tick(real_store, page_sample_files, tmp_path):
    f = _roster(page_sample_files)
    lines = f.read_text(encoding="utf-8-sig").splitlines()
    bad = lines[:1] + [lines[1].replace(lines[1].split(",")[0], "=BAD", 1)] + lines[2:]
    raw = ("\n".join(bad) + "\n").encode()
    at = _upload(run_page("data"), f.name, raw)
    assert_clean(at)
    rejected = next(m for m in at.metric if m.label == "Rows rejected")
    assert rejected.value == "1"
    button = next(b for b in at.button if "Import" in str(b.label))
    assert button.disabled
    at.checkbox(key="data_allow").check().run()
    button = next(b for b in at.button if "Import" in str(b.label))
    assert not button.disabled
    at = button.click().run()
    assert_clean(at)
    assert len(real_store.as_of_dates("population")) == 2
    assert at.get("download_button")


def test_unusable_upload_is_one_sentence(real_store):
    at = _upload(run_page("data"), "notes.csv", b"hello,world\n1,2\n")
    assert not at.exception
    assert len(at.error) == 1
    assert "Traceback" not in str(at.error[0].value)


def test_import_refused_by_the_store_is_one_sentence(real_store, page_sample_files, monkeypatch):
    """A store busy with another import (or refusing the file) says one sentence, no traceback."""
    from loaders._duck import StoreBusy

    def busy(self, *a, **k):
        raise StoreBusy("The store is in use by another import; try again in a minute.")

    monkeypatch.setattr(Store, "import_file", busy)
    f = _roster(page_sample_files)
    at = _upload(run_page("data"), f.name, f.read_bytes())
    button = next(b for b in at.button if "Import" in str(b.label))
    at = button.click().run()
    assert not at.exception
    assert [str(e.value) for e in at.error] == ["The store is in use by another import; try again in a minute."]
    assert len(real_store.as_of_dates("population")) == 1


@pytest.fixture()
def temp_folder(tmp_path, monkeypatch):
    """The temporary folder the page writes uploads to, empty at the start."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("what", ["imported", "rejected rows", "unusable"])
def test_no_upload_is_left_in_the_temp_folder(real_store, page_sample_files, temp_folder, what):
    """Rosters carry names and birth dates: no copy outlives the check or the import."""
    f = _roster(page_sample_files)
    raw = f.read_bytes()
    if what == "rejected rows":
        lines = raw.decode("utf-8-sig").splitlines()
        raw = ("\n".join(lines[:1] + [lines[1].replace(lines[1].split(",")[0], "=BAD", 1)] + lines[2:]) + "\n").encode()
    elif what == "unusable":
        raw = b"hello,world\n1,2\n"
    at = _upload(run_page("data"), f.name if what != "unusable" else "notes.csv", raw)
    assert not at.exception
    assert list(temp_folder.iterdir()) == []
    buttons = [b for b in at.button if "Import" in str(b.label)]
    if buttons and not buttons[0].disabled:
        at = buttons[0].click().run()
        assert not at.exception
        assert len(real_store.as_of_dates("population")) == 2
    assert list(temp_folder.iterdir()) == []


@pytest.mark.parametrize("what", ["refused", "import fails"])
def test_no_upload_is_left_when_the_import_does_not_store(
    real_store, page_sample_files, temp_folder, monkeypatch, what
):
    """A refusal or an exception in the middle of the import removes the upload too."""
    f = _roster(page_sample_files)
    raw = f.read_bytes()
    seen: list[bool] = []
    if what == "refused":
        raw = raw.decode("utf-8-sig").splitlines()[0].encode() + b"\n"  # header only: refused, never stored
    else:
        real = Store.import_file

        def fails(self, path, *args, **kwargs):
            seen.append(path.exists() and path.parent.parent == temp_folder)
            real(self, path, *args, **kwargs)
            raise RuntimeError("disk full")

        monkeypatch.setattr(Store, "import_file", fails)
    at = _upload(run_page("data"), f.name, raw)
    assert list(temp_folder.iterdir()) == []
    button = next(b for b in at.button if "Import" in str(b.label))
    at = button.click().run()
    if what == "refused":
        assert not at.exception
        assert any("refused" in str(e.value) for e in at.error)
    else:
        assert seen == [True]  # the import read the upload from the temp folder, then failed
        assert not at.exception and at.error  # one sentence on the page, no traceback
    assert list(temp_folder.iterdir()) == []
