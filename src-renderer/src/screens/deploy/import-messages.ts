/** The texts of a host row's image-import progress (spread into the Deploy screen's dictionaries). */
export const importMessagesEn = {
  'deploy.import.label': 'Images imported on {host}',
  'deploy.import.importing': 'Importing image {current} of {total}: {ref} ({bytes} of {totalBytes})',
  'deploy.import.imported': '{done} of {total} images imported ({bytes} of {totalBytes})',
} as const;

export const importMessagesZh: Record<keyof typeof importMessagesEn, string> = {
  'deploy.import.label': '{host} 上已导入的镜像',
  'deploy.import.importing': '正在导入第 {current} / {total} 个镜像：{ref}（{bytes} / {totalBytes}）',
  'deploy.import.imported': '已导入 {done} / {total} 个镜像（{bytes} / {totalBytes}）',
};
