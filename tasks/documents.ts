// The document helpers live in the domain so that the monitor (merging shard manifests) and the
// tasks share one implementation.
export {
  documentRefs,
  MAX_DOCUMENT_BYTES,
  manifestRefs,
  readBytes,
  readJson,
  readManifest,
  writeJson,
} from '../core/domain/documents.ts'
