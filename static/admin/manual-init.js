// Decap CMS starts itself as it loads unless told to wait: nextup-cms.js registers Nextup's
// file formats first, then starts it (render/admin.py).
window.CMS_MANUAL_INIT = true;
