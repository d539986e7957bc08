import type { AttachmentStrings } from '../../strings.js';

/*
 * Here rather than in strings.ts (which declares AttachmentStrings with the other
 * strings): the prebuilt bundle splits by file, and strings.ts loads at once.
 */

/** English defaults of {@link AttachmentStrings}. */
export const DEFAULT_ATTACHMENT_STRINGS: AttachmentStrings = {
  attachmentsLabel: 'Attached files',
  removeAttachment: 'Remove {name}',
  uploading: 'Uploading {name}',
  attachmentTooLarge: 'Too large (the limit is {max})',
  attachmentWrongType: 'This type of file is not accepted',
  attachmentQuota: 'Upload limit reached; remove files or try again later',
  attachmentTooMany: 'Too many files (at most {max} per message)',
  attachmentFailed: 'Upload failed: {message}',
  sentAttachmentsLabel: 'Attached files',
  openImage: 'Open image {name}',
  downloadAttachment: 'Download',
  closeImage: 'Close',
  imageUnavailable: '{name} could not be loaded',
};
