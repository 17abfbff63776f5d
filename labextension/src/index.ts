/**
 * amlwizard's JupyterLab plugin: a launcher card, a palette command and a Help menu entry that
 * create a notebook in the file browser's folder running `%load_ext amlwizard` + `%aml_troubleshoot`.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { ILauncher } from '@jupyterlab/launcher';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { LabIcon } from '@jupyterlab/ui-components';

import {
  ITroubleshootOptions,
  freeNotebookPath,
  troubleshootNotebook
} from './notebook';

const PLUGIN_ID = 'amlwizard-labextension:plugin';

/** Command ids of this extension. */
namespace CommandIDs {
  export const troubleshoot = 'amlwizard:troubleshoot';
}

/** A cube (a deployed model) in Azure blue, for the launcher card, menu and settings editor. */
const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16">' +
  '<path fill="#0078d4" d="M12 2 3 7v10l9 5 9-5V7l-9-5zm0 2.3 6.9 3.8L12 11.9 5.1 8.1 12 4.3z' +
  'M5 9.8l6 3.3v6.6l-6-3.3V9.8zm8 9.9v-6.6l6-3.3v6.6l-6 3.3z"/></svg>';
const amlwizardIcon = new LabIcon({ name: 'amlwizard:icon', svgstr: ICON_SVG });

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'Open a notebook that troubleshoots an Azure ML deployment with amlwizard.',
  autoStart: true,
  optional: [ICommandPalette, ILauncher, IMainMenu, IDefaultFileBrowser, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    launcher: ILauncher | null,
    mainMenu: IMainMenu | null,
    fileBrowser: IDefaultFileBrowser | null,
    settingRegistry: ISettingRegistry | null
  ) => {
    const options: ITroubleshootOptions = { mode: 'workspace', workspaceConfig: '' };
    const applySettings = (settings: ISettingRegistry.ISettings): void => {
      options.mode = settings.get('mode').composite === 'workshop' ? 'workshop' : 'workspace';
      options.workspaceConfig = (settings.get('workspaceConfig').composite as string) ?? '';
    };
    // The command waits for this, so a click right after page load still honours the settings.
    const settingsLoaded: Promise<void> = settingRegistry
      ? settingRegistry
          .load(PLUGIN_ID)
          .then(settings => {
            applySettings(settings);
            settings.changed.connect(applySettings);
          })
          .catch(reason => console.error('amlwizard: cannot load settings.', reason))
      : Promise.resolve();

    /** Write the notebook into the file browser's folder, open it, and run it once the kernel answers. */
    const openTroubleshootNotebook = async (): Promise<NotebookPanel> => {
      await settingsLoaded;
      const folder = fileBrowser?.model.path ?? '';
      const path = await freeNotebookPath(app.serviceManager.contents, folder);
      await app.serviceManager.contents.save(path, {
        type: 'notebook',
        format: 'json',
        content: troubleshootNotebook(options)
      });
      const panel = (await app.commands.execute('docmanager:open', {
        path,
        factory: 'Notebook',
        kernel: { name: 'python3' }
      })) as NotebookPanel;
      // Cells sent before the kernel answers its first info request can be lost.
      await panel.context.ready;
      await panel.sessionContext.ready;
      await panel.sessionContext.session?.kernel?.info;
      await NotebookActions.runAll(panel.content, panel.sessionContext);
      return panel;
    };

    app.commands.addCommand(CommandIDs.troubleshoot, {
      label: 'Troubleshoot an Azure ML deployment',
      caption: 'Open a notebook that walks through a failed Azure ML deployment (amlwizard)',
      icon: args => (args['isPalette'] ? undefined : amlwizardIcon),
      execute: async () => {
        try {
          return await openTroubleshootNotebook();
        } catch (reason) {
          // e.g. a read-only folder: say so instead of failing silently in the console
          await showErrorMessage('Cannot open the troubleshooting notebook', reason as Error);
          return undefined;
        }
      }
    });

    palette?.addItem({ command: CommandIDs.troubleshoot, category: 'Azure ML' });
    // Cards in the Notebook section show an image (kernelIconUrl), not the command's icon.
    launcher?.add({
      command: CommandIDs.troubleshoot,
      category: 'Notebook',
      rank: 90,
      kernelIconUrl: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(ICON_SVG)}`
    });
    mainMenu?.helpMenu.addGroup([{ command: CommandIDs.troubleshoot }], 30);
  }
};

export default plugin;
