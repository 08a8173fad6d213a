"""The docker client's commands, by the parser's canonical command key."""

from sandbox.cli.commands import build, containers, distribution, images, inspect, search, system

HANDLERS = {
    "login": distribution.login,
    "logout": distribution.logout,
    "image push": distribution.push,
    "image pull": distribution.pull,
    "search": search.search,
    "image build": build.build,
    "buildx build": build.build,
    "image ls": images.images,
    "image tag": images.tag,
    "image rm": images.rmi,
    "image history": images.history,
    "image prune": images.image_prune,
    "image inspect": inspect.image_inspect,
    "inspect": inspect.inspect,
    "container run": containers.run,
    "container create": containers.create,
    "container start": containers.start,
    "container stop": containers.stop,
    "container restart": containers.restart,
    "container kill": containers.kill,
    "container rm": containers.rm,
    "container ls": containers.ps,
    "container logs": containers.logs,
    "container exec": containers.exec_,
    "container prune": containers.container_prune,
    "container inspect": inspect.container_inspect,
    "version": system.version,
    "system info": system.info,
}
