/** The Offline bundle screen's texts. Spread into the app dictionaries in i18n/en.ts and i18n/zh-CN.ts. */
export const bundleMessagesEn = {
  'bundle.versions': 'Kubernetes versions',
  'bundle.cni': 'Pod networks',
  'bundle.addons': 'Add-ons',
  'bundle.arches': 'Architectures',
  'bundle.out': 'Folder on this computer',
  'bundle.mirrors': 'Image mirrors (optional)',
  'bundle.mirrorsHelp': 'A URL per registry whose path stands before each repository, e.g. http://mirror.lab:5000/docker.io.',
  'bundle.binaryMirror': 'Binary mirror (optional)',
  'bundle.make': 'Make bundle',
  'bundle.making': '{done} of {total}: {label}',
  'bundle.made': '{folder}: Kubernetes {version} ({arch}), {images} images, {files} files.',
  'bundle.problem.out': 'Give an absolute folder path.',
  'bundle.problem.pickOne': 'Pick at least one.',
  'bundle.problem.url': '"{value}" is not an http:// or https:// URL.',
} as const;

export const bundleMessagesZh: Record<keyof typeof bundleMessagesEn, string> = {
  'bundle.versions': 'Kubernetes 版本',
  'bundle.cni': 'Pod 网络',
  'bundle.addons': '附加组件',
  'bundle.arches': 'CPU 架构',
  'bundle.out': '本机上的文件夹',
  'bundle.mirrors': '镜像加速（可选）',
  'bundle.mirrorsHelp': '每个镜像仓库一个 URL，其路径放在各仓库名之前，例如 http://mirror.lab:5000/docker.io。',
  'bundle.binaryMirror': '二进制文件镜像（可选）',
  'bundle.make': '制作离线包',
  'bundle.making': '{done}/{total}：{label}',
  'bundle.made': '{folder}：Kubernetes {version}（{arch}），{images} 个镜像，{files} 个文件。',
  'bundle.problem.out': '请填写绝对路径。',
  'bundle.problem.pickOne': '请至少选择一项。',
  'bundle.problem.url': '“{value}”不是 http:// 或 https:// URL。',
};
