"""The ``reviewdesk`` command: serve the API and dashboard, show or rotate the token, back up, import, retrain."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

import click

from server import __version__
from server.config import (DATABASE_FILENAME, LOOPBACK_HOSTS, MODELS_FOLDER, ConfigError, ConfigFile, ensure_private_dir, host_name,
                           resolve_data_dir)
from server.errors import DomainError

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder with the database and config (default: $REVIEWDESK_DATA_DIR, else your user data folder).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reviewdesk")
def cli() -> None:
    """ReviewDesk: answer your practice's online reviews calmly, promptly and without disclosing health information."""


def _now() -> datetime:
    """The CLI's clock: the computer's, in UTC."""
    return datetime.now(timezone.utc)


@contextlib.contextmanager
def domain_errors():
    """A domain error becomes the command's error message (no traceback)."""
    try:
        yield
    except DomainError as error:
        raise click.ClickException(str(error)) from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port to listen on (default 5151).")
@click.option("--allow-network", is_flag=True, help="Allow listening on an address other machines can reach. Not recommended.")
@click.option("--verbose", is_flag=True, help="Log in detail, each full garbage collection's pause among it.")
@data_dir_option
def serve(host: str | None, port: int | None, allow_network: bool, verbose: bool, data_dir: Path | None) -> None:
    """Serve the API for the toolbar and the dashboard on this computer."""
    import waitress

    from server import pauses
    from server.web.app import create_app

    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {}
    if host is not None:
        overrides["HOST"] = host
    if port is not None:
        overrides["PORT"] = port
    try:
        app = create_app(data_dir=data_dir, test_config=overrides or None)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    host, port = app.config["HOST"], app.config["PORT"]
    if host_name(host) not in LOOPBACK_HOSTS:
        if not allow_network:
            raise click.ClickException(
                f"Refusing to listen on {host}: other machines could reach patient data there. "
                "Use the default 127.0.0.1, or add --allow-network if you really mean it."
            )
        click.secho(
            f"WARNING: listening on {host}, which other machines may reach. Keep the pairing token secret "
            "and prefer 127.0.0.1.", fg="red", err=True,
        )
    try:
        server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=app.config["THREADS"],
            # waitress refuses far larger bodies itself; Flask answers the rest with the JSON 413.
            max_request_body_size=4 * max(app.config["MAX_CONTENT_LENGTH"], app.config["IMPORT_MAX_MB"] * 1024 * 1024),
            ident="ReviewDesk",
        )
    except OSError as error:
        raise click.ClickException(
            f"Cannot listen on {host}:{port} ({error.strerror}). Is ReviewDesk already running? "
            "Stop it, or choose another port with --port."
        ) from None
    # The reply checker's vocabularies (ICD-10-CM, 100,000 drug names) take a few seconds to load:
    # load them now, not when staff first type a reply.
    from server.replies import vocabulary

    # From here on requests may wait for the garbage collector: its pauses are timed (and the warm-up keeps
    # it from passing over the vocabularies while they are built).
    pauses.watch()
    threading.Thread(target=vocabulary.warm_up, name="vocabulary", daemon=True).start()
    # Request threads share one interpreter lock; switching more often than the default 5 ms keeps a
    # quick read from waiting behind a large ingest batch.
    sys.setswitchinterval(0.001)
    base_url = f"http://{_url_host(host)}:{port}"
    token = app.extensions["reviewdesk.config_file"].token()
    click.echo(f"ReviewDesk {__version__} is running.")
    click.echo(f"  Data directory:  {app.config['DATA_DIR']}")
    click.echo(f"  Dashboard:       {base_url}/  (sign in with the pairing token)")
    click.echo(f"  Sign-in link:    {base_url}/login#token={token}")
    click.echo("      (opens the dashboard signed in: bookmark it in this computer's browser, share it with no one)")
    click.echo(f"  Pair the toolbar: in its options set the server to {base_url} and paste the pairing token:")
    click.echo(f"      {token}")
    click.echo("  ('reviewdesk token' prints it again; 'reviewdesk token --rotate' makes a new one.)")
    click.echo("Press Ctrl+C to stop.")
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("ReviewDesk stopped.")
    finally:
        server.close()


@cli.command()
@click.option("--rotate", is_flag=True, help="Make a new token; the old one stops working at once.")
@data_dir_option
def token(rotate: bool, data_dir: Path | None) -> None:
    """Print the pairing token for the toolbar and the dashboard."""
    config_file = ConfigFile(resolve_data_dir(data_dir))
    config_file.protect()
    try:
        value = config_file.rotate_token() if rotate else config_file.token()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(value)
    if rotate:
        click.echo(
            "New token made. Paste it into the toolbar's options; the old token and dashboard sessions no longer work.",
            err=True,
        )


@cli.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@data_dir_option
def backup(dest: Path, force: bool, data_dir: Path | None) -> None:
    """Copy the database to DEST (a file, or a folder to put a dated copy in), safely while the server runs."""
    from server.storage import Store  # here, not at the top: 'reviewdesk token' and --help need no database
    database = resolve_data_dir(data_dir) / DATABASE_FILENAME
    if not database.exists():
        raise click.ClickException(f"There is no ReviewDesk database at {database}; check --data-dir.")
    if dest.is_dir():
        dest = dest / f"reviewdesk-backup-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"
    if dest.exists() and not force:
        raise click.ClickException(f"{dest} already exists; choose another name or add --force to overwrite it.")
    if not dest.parent.is_dir():
        raise click.ClickException(f"The folder {dest.parent} does not exist; create it first.")
    if dest.exists():
        dest.unlink()
    try:
        with Store.connect(database) as store:
            store.backup_to(dest)
        with Store.connect(dest) as copy:
            integrity = copy.integrity()
            reviews = copy.count_reviews()
    except sqlite3.Error as error:
        raise click.ClickException(f"The backup failed ({error}); {dest} may be incomplete, do not rely on it.") from None
    if integrity != "ok":
        raise click.ClickException(f"The copy at {dest} failed its integrity check ({integrity}); do not rely on it.")
    click.echo(f"Backed up {reviews} reviews to {dest} (integrity check ok).")


@cli.command()
@click.option("--reset", is_flag=True, help="Remove the practice's retrained models: the shipped ones are used again.")
@data_dir_option
def retrain(reset: bool, data_dir: Path | None) -> None:
    """Retrain triage and the reply checker from the shipped corpus and your staff's corrections, on this computer."""
    from server.replies import learned, training
    from server.storage import Store, initialise
    from server.workflow.corrections import staff_corrections

    chosen = resolve_data_dir(data_dir)
    folder = chosen / MODELS_FOLDER
    names = (learned.TRIAGE_MODEL.name, learned.REPLY_MODEL.name, learned.RULE_NAMES_MODEL.name)
    if reset:
        removed = [name for name in names if (folder / name).exists()]
        for name in removed:
            (folder / name).unlink()
        click.echo("Removed the practice's models; the shipped ones are used again." if removed else "No retrained models to remove.")
        click.echo("Restart `reviewdesk serve` for the change to take effect.")
        return
    ensure_private_dir(chosen)
    database = chosen / DATABASE_FILENAME
    initialise(database)
    with Store.connect(database) as store:
        corrections = staff_corrections(store)
    click.echo(f"Staff corrections: {len(corrections.triage)} triage decisions, {len(corrections.reply_sentences)} reply sentences "
               f"approved" + (f" ({corrections.skipped} triage changes without a category or text, left out)" if corrections.skipped else "")
               + ". Nothing leaves this computer.")
    learned.use_practice_models(folder)
    before = training.figures_on_test_split(learned.triage_model(), learned.reply_model(), learned.rule_names_model())
    with tempfile.TemporaryDirectory(dir=chosen) as staging:
        training.train(Path(staging), corrections.triage, corrections.reply_sentences, progress=click.echo)
        after = training.figures_on_test_split(learned.TriageModel(Path(staging) / names[0]),
                                               learned.ReplySentenceModel(Path(staging) / names[1]),
                                               learned.RuleNamesModel(Path(staging) / names[2]))
        ensure_private_dir(folder)
        for name in names:
            os.replace(Path(staging) / name, folder / name)
    click.echo(f"On the shipped test split ({', '.join(training.TEST_WRITERS)}), before -> after:")
    for label, was, now in (("triage", before[0], after[0]), ("checker", before[1], after[1])):
        click.echo(f"  {label}: {was.summary()}\n       -> {now.summary()}")
    click.echo(f"Stored the models in {folder}. Restart `reviewdesk serve` to use them (`reviewdesk retrain --reset` goes back).")


@cli.command("import-reviews")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="Address of a saved page, when the file does not say.")
@click.option("--lang", default="en", show_default=True, help="Language of saved pages, for their dates.")
@data_dir_option
def import_reviews(files: tuple[Path, ...], url: str | None, lang: str, data_dir: Path | None) -> None:
    """Import reviews from API exports (Google, Yelp, Facebook JSON) and saved review pages (.html)."""
    from server.reviews.files import read_review_file
    from server.reviews.ingest import ingest
    from server.storage import Store, initialise

    database = resolve_data_dir(data_dir) / DATABASE_FILENAME
    initialise(database)
    with domain_errors():
        read = [(path, read_review_file(path, url, lang)) for path in files]  # all files are read before anything is stored
    with Store.connect(database) as store:
        for path, found in read:
            result = ingest(store, found.reviews, _now())
            click.echo(f"{path.name}: {found.kind}: {len(found.reviews)} reviews, {result.created} new, "
                       f"{result.updated} updated, {result.unchanged} unchanged")
            for warning in found.warnings:
                click.echo(f"  warning: {warning}", err=True)


@cli.command("import-contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--activities", "activities_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A separate export of appointments, calls and notes (contact reference, type, date, summary, staff).")
@click.option("--map", "mappings", multiple=True, metavar="COLUMN=FIELD",
              help="Map a column yourself, e.g. --map Nom=last_name (fields: name, first_name, last_name, middle_name, "
                   "preferred_name, phone, email, external_id, last_visit, last_activity; or ignore).")
@click.option("--activities-map", "activity_mappings", multiple=True, metavar="COLUMN=FIELD",
              help="Map a column of the activities file (fields: contact_ref, type, at, summary, staff).")
@data_dir_option
def import_contacts_command(file: Path, activities_file: Path | None, mappings: tuple[str, ...],
                            activity_mappings: tuple[str, ...], data_dir: Path | None) -> None:
    """Import the practice's contact export (CSV, XLSX or vCard) for matching reviewers to contacts."""
    from parsers.contacts import ContactFileError, parse_mapping_options
    from server.contacts.importing import import_contacts
    from server.storage import Store, initialise

    database = resolve_data_dir(data_dir) / DATABASE_FILENAME
    initialise(database)
    try:
        explicit = parse_mapping_options(mappings)
        explicit_activities = parse_mapping_options(activity_mappings)
        activities = (activities_file.read_bytes(), activities_file.name) if activities_file else None
        with Store.connect(database) as store, contextlib.ExitStack() as bars:
            bar = None

            def progress(done: int, total: int) -> None:
                nonlocal bar
                if bar is None:
                    bar = bars.enter_context(click.progressbar(length=total, label=f"Importing {total} contacts", file=sys.stderr))
                bar.update(done - bar.pos)

            report = import_contacts(store, file.read_bytes(), file.name, now=_now(), mapping=explicit, activities=activities,
                                     activity_mapping=explicit_activities, progress=progress)
    except (ContactFileError, DomainError) as error:
        raise click.ClickException(f"{file.name}: {error}") from None
    click.echo(f"Columns used ({report.encoding or 'spreadsheet'}): " + "; ".join(f"{c} → {f}" for c, f in report.mapping.items()))
    if report.activity_mapping:
        click.echo("Activity columns: " + "; ".join(f"{c} → {f}" for c, f in report.activity_mapping.items()))
    click.echo(f"{report.imported} new, {report.updated} updated, {report.unchanged} unchanged, "
               f"{report.activities} activities added, {len(report.skipped)} rows skipped.")
    for skipped in report.skipped:
        click.echo(f"  row {skipped['row']}: {skipped['reason']}")
    for warning in report.warnings:
        click.echo(f"  warning: {warning}", err=True)


@cli.command()
@click.option("--target", type=click.FloatRange(1, 5), default=None, help="Average rating to aim for (default: the setting, 4.5).")
@data_dir_option
def report(target: float | None, data_dir: Path | None) -> None:
    """Print how the practice follows the workflow: ratings, reply times, follow-ups, outcomes."""
    from server.storage import Store
    from server.workflow.stats import practice_stats

    database = resolve_data_dir(data_dir) / DATABASE_FILENAME
    if not database.exists():
        raise click.ClickException(f"There is no ReviewDesk database at {database}; check --data-dir.")
    with Store.connect(database) as store:
        stats = practice_stats(store, _now(), target)

    def show(value, unit: str = "") -> str:
        return "—" if value is None else f"{value}{unit}"

    click.echo(f"Reviews: {stats['reviews']}  ({', '.join(f'{k} {v}' for k, v in sorted(stats['stages'].items())) or 'none'})")
    click.echo("")
    click.echo(f"{'Ratings':12} {'count':>6} {'average':>8} {'+1 one-star':>12} {'5-stars to ' + str(stats['ratings']['overall']['target']):>16}")
    for name, math_ in stats["ratings"].items():
        click.echo(f"{name:12} {math_['count']:>6} {show(math_['average']):>8} {show(math_['after_one_more_1_star']):>12} "
                   f"{show(math_['five_stars_to_reach_target']):>16}")
    replies, follow = stats["replies"], stats["follow_ups"]
    click.echo("")
    click.echo(f"Replies: {replies['count']}; median {show(replies['median_hours_to_reply'], ' h')}, 90th percentile "
               f"{show(replies['p90_hours_to_reply'], ' h')}; within {replies['target_hours']} h: "
               f"{show(None if replies['share_within_target'] is None else round(100 * replies['share_within_target']), '%')}; "
               f"before the cool-down: {replies['before_cooldown']}")
    click.echo(f"Follow-ups: {follow['called']} of {follow['needed']} called "
               f"(reached {follow['outcomes']['reached']}, voicemail {follow['outcomes']['voicemail']}, "
               f"unreachable {follow['outcomes']['unreachable']}); resolved {follow['resolved']}, not resolved {follow['not_resolved']}; "
               f"reviews updated after a call: {follow['reviews_updated_after_follow_up']} "
               f"(average rating change {show(follow['average_rating_change'])})")


def main() -> None:
    cli(prog_name="reviewdesk")


if __name__ == "__main__":
    main()
