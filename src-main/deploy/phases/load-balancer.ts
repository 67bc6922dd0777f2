import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import type { PlanContext } from '../context';
import { APISERVER_PORT, LB_ADDRESS, LB_DIR, LB_PORT, UNIT_DIR } from '../layout';
import { renderUnit } from '../render/systemd-unit';
import { commandStep, fileStep, unitStep, variantFileStep } from '../steps';
import { raw, sh } from '../../ssh/shell';
import { nginxServer } from '../render/nginx';
import { HOST_POLL_MS } from '../engine/poll-on-host';

/** Debian and Ubuntu build nginx's stream module as a loadable module (libnginx-mod-stream); other builds have it compiled in. */
const STREAM_MODULE = 'load_module /usr/lib/nginx/modules/ngx_stream_module.so;';

export function lbConfigStep(ctx: PlanContext, host: Host): PlanStep {
  const upstreams = ctx.masters.map((m) => `    server ${nginxServer(m.address, APISERVER_PORT)} max_fails=2 fail_timeout=5s;`).join('\n');
  const vars = { upstreams, listen: `${LB_ADDRESS}:${LB_PORT}`, dir: LB_DIR };
  const text = (loadModule: string) => ctx.templates.render(ctx.version, 'kube-lb-nginx.conf', { ...vars, loadModule });
  return variantFileStep(
    ctx.stepId('load-balancer', host, 'config'),
    `Load balancer config: ${vars.listen} → ${ctx.masters.length} apiserver(s)`,
    {
      path: `${LB_DIR}/nginx.conf`,
      chooseBy: raw("nginx -V 2>&1 | tr ' ' '\\n' | grep -E -x -- '--with-stream(=dynamic)?'"),
      // The build's configure flags: the unit's nginx answers the same until it is replaced.
      chooseByReads: '/usr/sbin/nginx',
      variants: [
        { match: '^--with-stream=dynamic$', label: 'stream module loadable (Debian/Ubuntu)', text: text(STREAM_MODULE) },
        { match: '^--with-stream$', label: 'stream module built in', text: text('') },
      ],
    },
  );
}

export function renderLbUnit(): string {
  return renderUnit({
    description: 'Local load balancer to the Kubernetes apiservers (Kubesmith)',
    after: ['network.target'],
    execStartPre: [['/usr/sbin/nginx', '-t', '-q', '-c', `${LB_DIR}/nginx.conf`, '-p', LB_DIR]],
    execStart: ['/usr/sbin/nginx', '-c', `${LB_DIR}/nginx.conf`, '-p', LB_DIR],
    limitNoFile: 65536,
  });
}

export function loadBalancerSteps(ctx: PlanContext, host: Host): PlanStep[] {
  const id = (name: string) => ctx.stepId('load-balancer', host, name);
  const inputs = [
    lbConfigStep(ctx, host),
    fileStep(id('unit'), 'Load balancer unit kube-lb', { path: `${UNIT_DIR}/kube-lb.service`, text: renderLbUnit() }),
  ];
  return [
    ...inputs,
    unitStep(id('start'), { unit: 'kube-lb', inputs }),
    commandStep(id('listening'), `Load balancer listens on ${LB_ADDRESS}:${LB_PORT}`, {
      check: true,
      // The shell looks for the address in ss's answer: one process, no pipe to grep.
      run: sh`case "$(ss -Hltn ${`sport = :${LB_PORT}`})" in *${`${LB_ADDRESS}:${LB_PORT}`}*) ;; *) false ;; esac`,
      retry: { attempts: 20, intervalMs: 500, pollMs: HOST_POLL_MS },
      unit: 'kube-lb',
    }),
  ];
}

export function loadBalancerJobs(ctx: PlanContext): PlanJob[] {
  return ctx.kubeletHosts.map((host) => ({
    phase: 'load-balancer',
    hostId: host.id,
    hostName: host.name,
    steps: loadBalancerSteps(ctx, host),
    needs: [],
  }));
}
