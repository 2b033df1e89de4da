/**
 * A jest transformer for Angular's packages, which ship ES modules only (`.mjs`): esbuild turns
 * each file into CommonJS, as ts-jest does the specs, so the specs of `rx-anthropic/angular` load
 * `@angular/core` and `@angular/common/http` the way they load everything else. jest.config.cjs
 * sends `node_modules/@angular/**.mjs` here, and ArkType's `.js` files (ES modules only as well).
 */
const { transformSync, version } = require('esbuild');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { loader: 'js', format: 'cjs', target: 'es2022', sourcemap: 'external', sourcefile: filename });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(`esmToCommonJS ${version} ${filename}\n`).update(source).digest('hex');
  },
};
