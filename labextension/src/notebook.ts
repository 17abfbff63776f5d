/**
 * The notebook the "Troubleshoot an Azure ML deployment" command writes: two cells that load
 * amlwizard and start its wizard, with python3 kernelspec metadata so no kernel dialog appears.
 */
import { Contents } from '@jupyterlab/services';

/** Which backend the notebook's `%aml_troubleshoot` line targets (from the extension's settings). */
export interface ITroubleshootOptions {
  /** "workshop": offline workshop scenarios; "workspace": a real Azure ML workspace. */
  mode: 'workshop' | 'workspace';
  /** Path to a workspace config.json; empty lets azureml-core search for one. */
  workspaceConfig: string;
}

/** Base name of the notebooks the command creates (a number is added when taken). */
const NOTEBOOK_STEM = 'aml-troubleshoot';

/**
 * Quote an argument for IPython's magic argument splitter, which keeps a quoted token whole
 * (non-POSIX rules: no escapes), so a path with spaces stays one argument.
 */
function quoteArgument(value: string): string {
  if (!/[\s'"]/.test(value)) {
    return value;
  }
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/** The magic line the notebook runs, e.g. `%aml_troubleshoot --workshop`. */
export function troubleshootMagic(options: ITroubleshootOptions): string {
  if (options.mode === 'workshop') {
    return '%aml_troubleshoot --workshop';
  }
  const config = options.workspaceConfig.trim();
  return config ? `%aml_troubleshoot --workspace ${quoteArgument(config)}` : '%aml_troubleshoot';
}

function codeCell(source: string): Record<string, unknown> {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
}

/** nbformat 4 content of the troubleshooting notebook. */
export function troubleshootNotebook(options: ITroubleshootOptions): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      // The kernelspec lets JupyterLab start the kernel at once instead of asking for one.
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' }
    },
    cells: [codeCell('%load_ext amlwizard'), codeCell(troubleshootMagic(options))]
  };
}

/** A notebook path in `folder` that does not exist yet: aml-troubleshoot.ipynb, aml-troubleshoot-1.ipynb, ... */
export async function freeNotebookPath(
  contents: Contents.IManager,
  folder: string
): Promise<string> {
  const listing = await contents.get(folder, { content: true });
  const taken = new Set(
    (listing.content as Contents.IModel[]).map(item => item.name)
  );
  const prefix = folder ? `${folder}/` : '';
  for (let index = 0; ; index++) {
    const name = index === 0 ? `${NOTEBOOK_STEM}.ipynb` : `${NOTEBOOK_STEM}-${index}.ipynb`;
    if (!taken.has(name)) {
      return prefix + name;
    }
  }
}
