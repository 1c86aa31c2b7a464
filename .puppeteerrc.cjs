// memlab depends on puppeteer, whose install step downloads Chrome; this machine and CI have
// no route to that download, and churnlab only analyses Node heap snapshots, so skip it.
module.exports = { skipDownload: true };
