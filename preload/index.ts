// The bundled preload (out/desktop/preload.cjs), run sandboxed with context isolation: it
// exposes window.switchboard — the contract's named methods, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { buildDesktopApi } from './bridge';

contextBridge.exposeInMainWorld('switchboard', buildDesktopApi(ipcRenderer, process.argv));
