import { CreateExperimentInput } from "@stepwise/core/schemas";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Empty, ErrorMessage, Loading } from "../components/states";
import { type Experiment, useTRPC } from "../lib/api";
import { describeError } from "../lib/errors";
import { formatRange, formatTime } from "../lib/format";
import { useDebouncedValue, useTitle } from "../lib/hooks";
import { Link, paths, useSearchParams } from "../lib/router";

const PAGE = 20;

export function ExperimentsPage() {
  const trpc = useTRPC();
  useTitle("Experiments");
  // The view's state is in the URL: ?q=<search>, ?archived=1, ?offset=<n>.
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const archived = params.get("archived") === "1";
  const offset = Math.max(0, Math.floor(Number(params.get("offset")) || 0));
  const setOffset = (next: number) => setParams({ offset: next > 0 ? String(next) : null });
  const term = useDebouncedValue(search.trim());
  const input = {
    search: term || undefined,
    lifecycle_stage: archived ? ("deleted" as const) : ("active" as const),
    limit: PAGE,
    offset,
  };
  const list = useQuery({ ...trpc.experiments.list.queryOptions(input), placeholderData: keepPreviousData });
  const data = list.data;

  return (
    <section>
      <div className="page-head">
        <h1>Experiments</h1>
      </div>
      {!archived && <CreateExperiment />}
      <search className="toolbar">
        <label className="grow">
          <span className="sr-only">Search experiments by name</span>
          <input
            type="search"
            placeholder="Search by name"
            value={search}
            onChange={(e) => {
              setParams({ q: e.target.value, offset: null });
            }}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={archived}
            onChange={(e) => {
              setParams({ archived: e.target.checked ? "1" : null, offset: null });
            }}
          />
          Show archived
        </label>
      </search>
      {list.isPending ? (
        <Loading what="experiments" />
      ) : list.isError && !data ? (
        <ErrorMessage error={list.error} retry={() => list.refetch()} />
      ) : data && data.experiments.length === 0 ? (
        <Empty>
          {term
            ? `No ${archived ? "archived " : ""}experiment's name contains “${term}”.`
            : archived
              ? "No archived experiments."
              : "No experiments yet: create one above, or log one from a training script (see the API docs at /docs)."}
        </Empty>
      ) : (
        data && (
          <>
            {list.isError && <ErrorMessage error={list.error} retry={() => list.refetch()} />}
            <table className="list" aria-busy={list.isFetching}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.experiments.map((experiment) => (
                  <ExperimentRow key={experiment.id} experiment={experiment} />
                ))}
              </tbody>
            </table>
            <nav className="pager" aria-label="Pages">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </button>
              <span>{formatRange(data.offset, data.experiments.length, data.total)}</span>
              <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </button>
            </nav>
          </>
        )
      )}
    </section>
  );
}

function useInvalidateExperiments() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.experiments.pathKey() });
}

function CreateExperiment() {
  const trpc = useTRPC();
  const invalidate = useInvalidateExperiments();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const create = useMutation(
    trpc.experiments.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setDescription("");
        return invalidate();
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The API's own schema, so the message is the one the server would give.
    const parsed = CreateExperimentInput.safeParse({ name, description: description.trim() || undefined });
    if (!parsed.success) return setInvalid(parsed.error.issues.map((i) => i.message).join("; "));
    setInvalid(null);
    create.mutate(parsed.data);
  };
  const error = invalid ?? (create.error ? describeError(create.error).message : null);
  return (
    <form className="create" onSubmit={submit} aria-label="New experiment">
      <label>
        <span className="sr-only">New experiment's name</span>
        <input placeholder="New experiment's name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="grow">
        <span className="sr-only">Description (optional)</span>
        <input
          placeholder="Description (optional)"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={create.isPending}>
        Create
      </button>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ExperimentRow({ experiment }: { experiment: Experiment }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateExperiments();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(experiment.name);
  const done = { onSuccess: () => invalidate() };
  const rename = useMutation(
    trpc.experiments.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        return invalidate();
      },
    }),
  );
  const archive = useMutation(trpc.experiments.archive.mutationOptions(done));
  const restore = useMutation(trpc.experiments.restore.mutationOptions(done));
  const failed = rename.error ?? archive.error ?? restore.error;
  const active = experiment.lifecycle_stage === "active";

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === experiment.name) return setEditing(false);
    rename.mutate({ id: experiment.id, name });
  };
  const cancel = () => {
    setEditing(false);
    setName(experiment.name);
    rename.reset();
  };

  return (
    <tr data-experiment={experiment.name}>
      <td>
        {editing ? (
          <form className="rename" onSubmit={save} onKeyDown={(e) => e.key === "Escape" && cancel()}>
            <label>
              <span className="sr-only">New name for {experiment.name}</span>
              {/* biome-ignore lint/a11y/noAutofocus: the field the user just asked for */}
              <input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
            </label>
            <button type="submit" disabled={rename.isPending}>
              Save
            </button>
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          </form>
        ) : (
          <Link to={paths.experiment(experiment.id)}>{experiment.name}</Link>
        )}
        {failed && (
          <p className="inline-error" role="alert">
            {describeError(failed).message}
          </p>
        )}
      </td>
      <td className="muted">{experiment.description}</td>
      <td className="nowrap">{formatTime(experiment.created_at)}</td>
      <td className="actions">
        {active && !editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Rename
          </button>
        )}
        {active ? (
          <button type="button" disabled={archive.isPending} onClick={() => archive.mutate({ id: experiment.id })}>
            Archive
          </button>
        ) : (
          <button type="button" disabled={restore.isPending} onClick={() => restore.mutate({ id: experiment.id })}>
            Restore
          </button>
        )}
      </td>
    </tr>
  );
}
