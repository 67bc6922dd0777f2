/** The texts of a host row's upload progress (spread into the Deploy screen's dictionaries). */
export const transferMessagesEn = {
  'deploy.transfer.label': 'Upload to {host}',
  'deploy.transfer.progress': 'Sending {file}: {bytes} of {totalBytes} at {speed}/s, {left} left',
  'deploy.transfer.measuring': 'Sending {file}: {bytes} of {totalBytes}, measuring the speed…',
} as const;

export const transferMessagesZh: Record<keyof typeof transferMessagesEn, string> = {
  'deploy.transfer.label': '发送到 {host} 的上传',
  'deploy.transfer.progress': '正在发送 {file}：{bytes} / {totalBytes}，速度 {speed}/s，剩余 {left}',
  'deploy.transfer.measuring': '正在发送 {file}：{bytes} / {totalBytes}，正在测量速度…',
};
