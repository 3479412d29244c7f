// @ts-nocheck -- generated code (Handlebars.precompile); the template specs are checked by test/templates/embed.test.ts
// Generated from templates/ by test/templates/embed-templates.ts: edit the .hbs, then run
// `npx tsx test/templates/embed-templates.ts`.

/** Handlebars template specifications by name, compiled with {"noEscape":true,"strict":true}. */
export const COMPILED_TEMPLATES = {
  "k3s/k3s-agent.service": {"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Written by kbootstrap (agent). Equivalent to the unit of the k3s install script; settings are in /etc/rancher/k3s/config.yaml.\n[Unit]\nDescription=Lightweight Kubernetes (agent)\nDocumentation=https://k3s.io\nWants=network-online.target\nAfter=network-online.target\n\n[Install]\nWantedBy=multi-user.target\n\n[Service]\n# notify like install.sh for both roles: k3s agent signals READY=1 once it has joined, so a crash-looping\n# agent shows as activating/failed instead of active.\nType=notify\nEnvironmentFile=-/etc/default/%N\nEnvironmentFile=-/etc/sysconfig/%N\nEnvironmentFile=-"
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || alias1(depth0, "envPath", {"start":{"line":17,"column":19},"end":{"line":17,"column":26}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":17,"column":17},"end":{"line":17,"column":28}}}) : helper))) != null ? stack1 : "")
    + "\nKillMode=process\nDelegate=yes\n# Accounting through cgroups instead of per-process limits (limits cost kernel overhead).\nLimitNOFILE=1048576\nLimitNPROC=infinity\nLimitCORE=infinity\nTasksMax=infinity\nTimeoutStartSec=0\nRestart=always\nRestartSec=5s\nExecStartPre=-/sbin/modprobe br_netfilter\nExecStartPre=-/sbin/modprobe overlay\nExecStart="
    + ((stack1 = (((helper = lookupProperty(helpers,"binaryPath") || alias1(depth0, "binaryPath", {"start":{"line":30,"column":12},"end":{"line":30,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binaryPath","hash":{},"data":data,"loc":{"start":{"line":30,"column":10},"end":{"line":30,"column":24}}}) : helper))) != null ? stack1 : "")
    + " agent\n";
},"useData":true},
  "k3s/k3s-killall.sh": {"0":function(container,depth0,helpers,partials,data) {
    var stack1;

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + " ";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n# Written by kbootstrap: stops k3s and what it started (containers, mounts, network interfaces,\n# iptables rules), like the k3s install script's k3s-killall.sh. Leaves files in place.\n[ \"$(id -u)\" -eq 0 ] || exec sudo \"$0\" \"$@\"\n\n# k3s's bundled userspace (iptables, ip6tables, ...) after the host's: Pi OS Lite has no iptables.\nfor bin in "
    + ((stack1 = (((helper = lookupProperty(helpers,"dataDir") || alias1(depth0, "dataDir", {"start":{"line":7,"column":13},"end":{"line":7,"column":20}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"dataDir","hash":{},"data":data,"loc":{"start":{"line":7,"column":11},"end":{"line":7,"column":22}}}) : helper))) != null ? stack1 : "")
    + "/data/*/bin; do\n  [ -d \"$bin\" ] && PATH=\"$PATH:$bin:$bin/aux\"\ndone\nexport PATH\n\nfor unit in "
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"services"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":12,"column":12},"end":{"line":12,"column":48}}})) != null ? stack1 : "")
    + "; do\n  systemctl stop \"$unit\" 2>/dev/null || true\ndone\n\n# With KillMode=process the container shims outlive the service: end them and everything below them.\npschildren() {\n  ps -e -o ppid= -o pid= | awk -v parent=\"$1\" '$1 == parent { print $2 }'\n}\npstree() {\n  for pid in \"$@\"; do\n    echo \"$pid\"\n    pstree $(pschildren \"$pid\")\n  done\n}\nshims=$(ps -e -o pid= -o args= | awk '$2 ~ \"^"
    + ((stack1 = (((helper = lookupProperty(helpers,"dataDir") || alias1(depth0, "dataDir", {"start":{"line":26,"column":47},"end":{"line":26,"column":54}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"dataDir","hash":{},"data":data,"loc":{"start":{"line":26,"column":45},"end":{"line":26,"column":56}}}) : helper))) != null ? stack1 : "")
    + "/data/[^/]*/bin/containerd-shim\" { print $1 }')\nif [ -n \"$shims\" ]; then\n  kill -9 $(pstree $shims) 2>/dev/null || true\nfi\n\nunmount_under() {\n  # Deepest mount points first, so parents can be unmounted after their children.\n  awk -v prefix=\"$1\" 'index($2, prefix) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r mnt; do\n    umount -f \"$mnt\" 2>/dev/null || umount -l \"$mnt\" 2>/dev/null || true\n  done\n}\nunmount_under /run/k3s\nunmount_under "
    + ((stack1 = (((helper = lookupProperty(helpers,"dataDir") || alias1(depth0, "dataDir", {"start":{"line":38,"column":16},"end":{"line":38,"column":23}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"dataDir","hash":{},"data":data,"loc":{"start":{"line":38,"column":14},"end":{"line":38,"column":25}}}) : helper))) != null ? stack1 : "")
    + "\nunmount_under /var/lib/kubelet/pods\nunmount_under /var/lib/kubelet/plugins\nunmount_under /run/netns/cni-\n\nfor ns in $(ip netns list 2>/dev/null | awk '/^cni-/ { print $1 }'); do\n  ip netns delete \"$ns\" 2>/dev/null || true\ndone\nfor iface in $(ip link show 2>/dev/null | awk '/master cni0/ { sub(/:$/, \"\", $2); sub(/@.*/, \"\", $2); print $2 }'); do\n  ip link delete \"$iface\" 2>/dev/null || true\ndone\nfor iface in cni0 flannel.1 flannel-v6.1 flannel-wg flannel-wg-v6 kube-ipvs0; do\n  ip link delete \"$iface\" 2>/dev/null || true\ndone\nrm -rf /var/lib/cni/\n\n# Rules of k3s's chains only; flannel's chains are FLANNEL-POSTRTG/FLANNEL-FWD, hence -i.\nfor tool in iptables ip6tables; do\n  if command -v \"$tool-save\" >/dev/null 2>&1 && command -v \"$tool-restore\" >/dev/null 2>&1; then\n    \"$tool-save\" | grep -v -e KUBE- -e CNI- | grep -iv flannel | \"$tool-restore\" || true\n  fi\ndone\nexit 0\n";
},"useData":true},
  "k3s/k3s-uninstall.sh": {"0":function(container,depth0,helpers,partials,data) {
    var stack1;

  return ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + " ";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "#!/bin/sh\n# Written by kbootstrap: removes the k3s "
    + ((stack1 = (((helper = lookupProperty(helpers,"role") || alias1(depth0, "role", {"start":{"line":2,"column":43},"end":{"line":2,"column":47}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"role","hash":{},"data":data,"loc":{"start":{"line":2,"column":41},"end":{"line":2,"column":49}}}) : helper))) != null ? stack1 : "")
    + " it installed (service, units, binary, data), like the\n# k3s install script's "
    + ((stack1 = (((helper = lookupProperty(helpers,"scriptName") || alias1(depth0, "scriptName", {"start":{"line":3,"column":25},"end":{"line":3,"column":35}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"scriptName","hash":{},"data":data,"loc":{"start":{"line":3,"column":23},"end":{"line":3,"column":37}}}) : helper))) != null ? stack1 : "")
    + ". Files kbootstrap backed up before changing them are restored\n# by `kbootstrap reset` / `remove-node`, not here.\nset -e\n[ \"$(id -u)\" -eq 0 ] || exec sudo \"$0\" \"$@\"\n\nif [ -x "
    + ((stack1 = (((helper = lookupProperty(helpers,"killallPath") || alias1(depth0, "killallPath", {"start":{"line":8,"column":10},"end":{"line":8,"column":21}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"killallPath","hash":{},"data":data,"loc":{"start":{"line":8,"column":8},"end":{"line":8,"column":23}}}) : helper))) != null ? stack1 : "")
    + " ]; then "
    + ((stack1 = (((helper = lookupProperty(helpers,"killallPath") || alias1(depth0, "killallPath", {"start":{"line":8,"column":34},"end":{"line":8,"column":45}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"killallPath","hash":{},"data":data,"loc":{"start":{"line":8,"column":32},"end":{"line":8,"column":47}}}) : helper))) != null ? stack1 : "")
    + "; fi\n\nsystemctl disable "
    + ((stack1 = (((helper = lookupProperty(helpers,"service") || alias1(depth0, "service", {"start":{"line":10,"column":20},"end":{"line":10,"column":27}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"service","hash":{},"data":data,"loc":{"start":{"line":10,"column":18},"end":{"line":10,"column":29}}}) : helper))) != null ? stack1 : "")
    + " 2>/dev/null || true\nsystemctl reset-failed "
    + ((stack1 = (((helper = lookupProperty(helpers,"service") || alias1(depth0, "service", {"start":{"line":11,"column":25},"end":{"line":11,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"service","hash":{},"data":data,"loc":{"start":{"line":11,"column":23},"end":{"line":11,"column":34}}}) : helper))) != null ? stack1 : "")
    + " 2>/dev/null || true\nrm -f "
    + ((stack1 = (((helper = lookupProperty(helpers,"unitPath") || alias1(depth0, "unitPath", {"start":{"line":12,"column":8},"end":{"line":12,"column":16}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"unitPath","hash":{},"data":data,"loc":{"start":{"line":12,"column":6},"end":{"line":12,"column":18}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || alias1(depth0, "envPath", {"start":{"line":12,"column":21},"end":{"line":12,"column":28}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":12,"column":19},"end":{"line":12,"column":30}}}) : helper))) != null ? stack1 : "")
    + "\nsystemctl daemon-reload\n\n# Only the symlinks that point at k3s (absolute as kbootstrap makes them, or relative as the script does).\nfor name in "
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"symlinks"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":16,"column":12},"end":{"line":16,"column":48}}})) != null ? stack1 : "")
    + "; do\n  link=\""
    + ((stack1 = (((helper = lookupProperty(helpers,"binDir") || alias1(depth0, "binDir", {"start":{"line":17,"column":10},"end":{"line":17,"column":16}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binDir","hash":{},"data":data,"loc":{"start":{"line":17,"column":8},"end":{"line":17,"column":18}}}) : helper))) != null ? stack1 : "")
    + "/$name\"\n  if [ -L \"$link\" ]; then\n    case \"$(readlink \"$link\")\" in\n      "
    + ((stack1 = (((helper = lookupProperty(helpers,"binaryPath") || alias1(depth0, "binaryPath", {"start":{"line":20,"column":8},"end":{"line":20,"column":18}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binaryPath","hash":{},"data":data,"loc":{"start":{"line":20,"column":6},"end":{"line":20,"column":20}}}) : helper))) != null ? stack1 : "")
    + "|k3s) rm -f \"$link\" ;;\n    esac\n  fi\ndone\n\n# /etc/rancher/node stays, as with install.sh's uninstall: it holds the node password the servers\n# know this machine by, and a re-join with a new one is refused while the Node object exists.\nrm -rf /etc/rancher/k3s /run/k3s /run/flannel "
    + ((stack1 = (((helper = lookupProperty(helpers,"dataDir") || alias1(depth0, "dataDir", {"start":{"line":27,"column":48},"end":{"line":27,"column":55}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"dataDir","hash":{},"data":data,"loc":{"start":{"line":27,"column":46},"end":{"line":27,"column":57}}}) : helper))) != null ? stack1 : "")
    + " /var/lib/kubelet\nrmdir /etc/rancher /var/lib/rancher 2>/dev/null || true\nrm -f "
    + ((stack1 = (((helper = lookupProperty(helpers,"binaryPath") || alias1(depth0, "binaryPath", {"start":{"line":29,"column":8},"end":{"line":29,"column":18}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binaryPath","hash":{},"data":data,"loc":{"start":{"line":29,"column":6},"end":{"line":29,"column":20}}}) : helper))) != null ? stack1 : "")
    + " "
    + ((stack1 = (((helper = lookupProperty(helpers,"killallPath") || alias1(depth0, "killallPath", {"start":{"line":29,"column":23},"end":{"line":29,"column":34}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"killallPath","hash":{},"data":data,"loc":{"start":{"line":29,"column":21},"end":{"line":29,"column":36}}}) : helper))) != null ? stack1 : "")
    + "\nrm -f \"$0\"\n";
},"useData":true},
  "k3s/k3s.env": {"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Written by kbootstrap. Environment for "
    + ((stack1 = (((helper = lookupProperty(helpers,"service") || container.strict(depth0, "service", {"start":{"line":1,"column":43},"end":{"line":1,"column":50}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"service","hash":{},"data":data,"loc":{"start":{"line":1,"column":41},"end":{"line":1,"column":52}}}) : helper))) != null ? stack1 : "")
    + ".service; kbootstrap keeps every k3s setting in\n# /etc/rancher/k3s/config.yaml, so this file holds no token. Add proxy variables here if needed.\n";
},"useData":true},
  "k3s/k3s.service": {"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Written by kbootstrap (server). Equivalent to the unit of the k3s install script; settings are in /etc/rancher/k3s/config.yaml.\n[Unit]\nDescription=Lightweight Kubernetes (server)\nDocumentation=https://k3s.io\nWants=network-online.target\nAfter=network-online.target\n\n[Install]\nWantedBy=multi-user.target\n\n[Service]\nType=notify\nEnvironmentFile=-/etc/default/%N\nEnvironmentFile=-/etc/sysconfig/%N\nEnvironmentFile=-"
    + ((stack1 = (((helper = lookupProperty(helpers,"envPath") || alias1(depth0, "envPath", {"start":{"line":15,"column":19},"end":{"line":15,"column":26}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"envPath","hash":{},"data":data,"loc":{"start":{"line":15,"column":17},"end":{"line":15,"column":28}}}) : helper))) != null ? stack1 : "")
    + "\nKillMode=process\nDelegate=yes\n# Accounting through cgroups instead of per-process limits (limits cost kernel overhead).\nLimitNOFILE=1048576\nLimitNPROC=infinity\nLimitCORE=infinity\nTasksMax=infinity\nTimeoutStartSec=0\nRestart=always\nRestartSec=5s\nExecStartPre=-/sbin/modprobe br_netfilter\nExecStartPre=-/sbin/modprobe overlay\nExecStart="
    + ((stack1 = (((helper = lookupProperty(helpers,"binaryPath") || alias1(depth0, "binaryPath", {"start":{"line":28,"column":12},"end":{"line":28,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"binaryPath","hash":{},"data":data,"loc":{"start":{"line":28,"column":10},"end":{"line":28,"column":24}}}) : helper))) != null ? stack1 : "")
    + " server\n";
},"useData":true},
  "os/dhcpcd-block": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "static routers="
    + ((stack1 = (((helper = lookupProperty(helpers,"gateway") || container.strict(depth0, "gateway", {"start":{"line":6,"column":17},"end":{"line":6,"column":24}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"gateway","hash":{},"data":data,"loc":{"start":{"line":6,"column":15},"end":{"line":6,"column":26}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "static domain_name_servers="
    + ((stack1 = (((helper = lookupProperty(helpers,"dns") || container.strict(depth0, "dns", {"start":{"line":9,"column":29},"end":{"line":9,"column":32}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"dns","hash":{},"data":data,"loc":{"start":{"line":9,"column":27},"end":{"line":9,"column":34}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# BEGIN kbootstrap\n# Static IPv4 address of "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":2,"column":27},"end":{"line":2,"column":32}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":2,"column":25},"end":{"line":2,"column":34}}}) : helper))) != null ? stack1 : "")
    + ", written by kbootstrap (it rewrites this block on every run).\ninterface "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":3,"column":12},"end":{"line":3,"column":17}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":3,"column":10},"end":{"line":3,"column":19}}}) : helper))) != null ? stack1 : "")
    + "\nstatic ip_address="
    + ((stack1 = (((helper = lookupProperty(helpers,"address") || alias1(depth0, "address", {"start":{"line":4,"column":20},"end":{"line":4,"column":27}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"address","hash":{},"data":data,"loc":{"start":{"line":4,"column":18},"end":{"line":4,"column":29}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"gateway"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":5,"column":0},"end":{"line":7,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"dns"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":8,"column":0},"end":{"line":10,"column":7}}})) != null ? stack1 : "")
    + "# END kbootstrap\n";
},"useData":true},
  "os/hosts-cluster-block": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"ip") || alias1(depth0, "ip", {"start":{"line":3,"column":2},"end":{"line":3,"column":4}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"ip","hash":{},"data":data,"loc":{"start":{"line":3,"column":0},"end":{"line":3,"column":6}}}) : helper))) != null ? stack1 : "")
    + "\t"
    + ((stack1 = (((helper = lookupProperty(helpers,"names") || alias1(depth0, "names", {"start":{"line":3,"column":9},"end":{"line":3,"column":14}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"names","hash":{},"data":data,"loc":{"start":{"line":3,"column":7},"end":{"line":3,"column":16}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return ((stack1 = (((helper = lookupProperty(helpers,"begin") || alias1(depth0, "begin", {"start":{"line":1,"column":2},"end":{"line":1,"column":7}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"begin","hash":{},"data":data,"loc":{"start":{"line":1,"column":0},"end":{"line":1,"column":9}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"each").call(alias2,lookupProperty(depth0,"entries"),{"name":"each","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":2,"column":0},"end":{"line":4,"column":9}}})) != null ? stack1 : "")
    + ((stack1 = (((helper = lookupProperty(helpers,"end") || alias1(depth0, "end", {"start":{"line":5,"column":2},"end":{"line":5,"column":5}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"end","hash":{},"data":data,"loc":{"start":{"line":5,"column":0},"end":{"line":5,"column":7}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"useData":true},
  "os/netplan.yaml": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "      renderer: "
    + ((stack1 = (((helper = lookupProperty(helpers,"renderer") || container.strict(depth0, "renderer", {"start":{"line":10,"column":18},"end":{"line":10,"column":26}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"renderer","hash":{},"data":data,"loc":{"start":{"line":10,"column":16},"end":{"line":10,"column":28}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"1":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "      routes:\n        - to: default\n          via: "
    + ((stack1 = (((helper = lookupProperty(helpers,"gateway") || container.strict(depth0, "gateway", {"start":{"line":18,"column":17},"end":{"line":18,"column":24}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"gateway","hash":{},"data":data,"loc":{"start":{"line":18,"column":15},"end":{"line":18,"column":26}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"2":function(container,depth0,helpers,partials,data) {
    var stack1, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "      nameservers:\n        addresses:\n"
    + ((stack1 = lookupProperty(helpers,"each").call(depth0 != null ? depth0 : (container.nullContext || {}),lookupProperty(depth0,"dns"),{"name":"each","hash":{},"fn":container.program(3, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":23,"column":0},"end":{"line":25,"column":9}}})) != null ? stack1 : "");
},"3":function(container,depth0,helpers,partials,data) {
    var stack1;

  return "          - "
    + ((stack1 = container.lambda(depth0, depth0)) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Written by kbootstrap: static IPv4 address of "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":1,"column":50},"end":{"line":1,"column":55}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":1,"column":48},"end":{"line":1,"column":57}}}) : helper))) != null ? stack1 : "")
    + ". kbootstrap rewrites this file on every run.\n# Netplan merges /{lib,etc,run}/netplan/*.yaml in file-name order: this file's scalars (dhcp4) override\n# earlier files, while lists (addresses, routes) would be appended: kbootstrap removes those from the\n# other files' definitions of "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":4,"column":32},"end":{"line":4,"column":37}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":4,"column":30},"end":{"line":4,"column":39}}}) : helper))) != null ? stack1 : "")
    + ".\nnetwork:\n  version: 2\n  ethernets:\n    "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":8,"column":6},"end":{"line":8,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":8,"column":4},"end":{"line":8,"column":13}}}) : helper))) != null ? stack1 : "")
    + ":\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"renderer"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":9,"column":0},"end":{"line":11,"column":7}}})) != null ? stack1 : "")
    + "      dhcp4: false\n      addresses:\n        - "
    + ((stack1 = (((helper = lookupProperty(helpers,"address") || alias1(depth0, "address", {"start":{"line":14,"column":12},"end":{"line":14,"column":19}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"address","hash":{},"data":data,"loc":{"start":{"line":14,"column":10},"end":{"line":14,"column":21}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"gateway"),{"name":"if","hash":{},"fn":container.program(1, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":15,"column":0},"end":{"line":19,"column":7}}})) != null ? stack1 : "")
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(lookupProperty(depth0,"dns"),"length"),{"name":"if","hash":{},"fn":container.program(2, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":20,"column":0},"end":{"line":26,"column":7}}})) != null ? stack1 : "");
},"useData":true},
  "os/networkmanager.nmconnection": {"0":function(container,depth0,helpers,partials,data) {
    var stack1, helper, lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "dns="
    + ((stack1 = (((helper = lookupProperty(helpers,"dns") || container.strict(depth0, "dns", {"start":{"line":14,"column":6},"end":{"line":14,"column":9}} ))),(typeof helper === "function" ? helper.call(depth0 != null ? depth0 : (container.nullContext || {}),{"name":"dns","hash":{},"data":data,"loc":{"start":{"line":14,"column":4},"end":{"line":14,"column":11}}}) : helper))) != null ? stack1 : "")
    + "\n";
},"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    var stack1, helper, alias1=container.strict, alias2=depth0 != null ? depth0 : (container.nullContext || {}), alias3="function", lookupProperty = container.lookupProperty || function(parent, propertyName) {
        if (Object.prototype.hasOwnProperty.call(parent, propertyName)) {
          return parent[propertyName];
        }
        return undefined
    };

  return "# Written by kbootstrap: static IPv4 address of "
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":1,"column":50},"end":{"line":1,"column":55}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":1,"column":48},"end":{"line":1,"column":57}}}) : helper))) != null ? stack1 : "")
    + ". kbootstrap rewrites this file on every run.\n[connection]\nid="
    + ((stack1 = (((helper = lookupProperty(helpers,"id") || alias1(depth0, "id", {"start":{"line":3,"column":5},"end":{"line":3,"column":7}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"id","hash":{},"data":data,"loc":{"start":{"line":3,"column":3},"end":{"line":3,"column":9}}}) : helper))) != null ? stack1 : "")
    + "\nuuid="
    + ((stack1 = (((helper = lookupProperty(helpers,"uuid") || alias1(depth0, "uuid", {"start":{"line":4,"column":7},"end":{"line":4,"column":11}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"uuid","hash":{},"data":data,"loc":{"start":{"line":4,"column":5},"end":{"line":4,"column":13}}}) : helper))) != null ? stack1 : "")
    + "\ntype=ethernet\ninterface-name="
    + ((stack1 = (((helper = lookupProperty(helpers,"iface") || alias1(depth0, "iface", {"start":{"line":6,"column":17},"end":{"line":6,"column":22}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"iface","hash":{},"data":data,"loc":{"start":{"line":6,"column":15},"end":{"line":6,"column":24}}}) : helper))) != null ? stack1 : "")
    + "\nautoconnect=true\nautoconnect-priority=100\n\n[ipv4]\nmethod=manual\naddress1="
    + ((stack1 = (((helper = lookupProperty(helpers,"address") || alias1(depth0, "address", {"start":{"line":12,"column":11},"end":{"line":12,"column":18}} ))),(typeof helper === alias3 ? helper.call(alias2,{"name":"address","hash":{},"data":data,"loc":{"start":{"line":12,"column":9},"end":{"line":12,"column":20}}}) : helper))) != null ? stack1 : "")
    + "\n"
    + ((stack1 = lookupProperty(helpers,"if").call(alias2,lookupProperty(depth0,"dns"),{"name":"if","hash":{},"fn":container.program(0, data, 0),"inverse":container.noop,"data":data,"loc":{"start":{"line":13,"column":0},"end":{"line":15,"column":7}}})) != null ? stack1 : "")
    + "\n[ipv6]\nmethod=auto\n";
},"useData":true},
  "os/rpi-swap-off.conf": {"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    return "# Written by kbootstrap: k3s wants no swap. See swap.conf(5); \"none\" also removes the swap file.\n[Main]\nMechanism=none\n";
},"useData":true},
  "os/zram-generator-off.conf": {"compiler":[8,">= 4.3.0"],"main":function(container,depth0,helpers,partials,data) {
    return "# Written by kbootstrap: k3s wants no swap, so no zram devices. The original file is backed up under\n# /var/lib/kbootstrap/backup/. See zram-generator.conf(5).\n";
},"useData":true},
};
